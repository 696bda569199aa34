package io.imcore.service;

import static io.imcore.service.support.Deliveries.assertExactlyOnceInOrder;
import static io.imcore.service.support.Deliveries.frames;
import static io.imcore.service.support.Deliveries.killConnectionsNamed;
import static io.imcore.service.support.Deliveries.messageIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.client.EventBus;
import io.imcore.redis.Streams;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;

/**
 * The promise of the stream transport (PROTOCOL.md section 5) against a real Redis and a real node: every message
 * whose publish returned is delivered exactly once and in order, every receipt exactly once, while the node's
 * Redis connections are killed, while a publisher writes flat out, and for an event bus whose connection is
 * killed while events flow.
 */
class StreamDeliveryIntegrationTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            // the flat-out test hands the node 50,000 frames for one connection at once
            .override("websocket.maxQueuedFrames", "1000000")
            .override("websocket.maxQueuedBytes", "512MiB");

    @Test
    void messagesAndReceiptsArriveExactlyOnceInOrderWhileTheNodesRedisConnectionsAreKilled() throws Exception {
        String receiver = UniqueIds.of("kill-rx");
        String sender = UniqueIds.of("kill-tx");
        try (TestTerminal rx = CLUSTER.connect(receiver, "");
                TestTerminal tx = CLUSTER.connect(sender, "")) {
            List<String> returned = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Thread publisher = new Thread(
                    () -> {
                        for (int i = 0; i < 3000; i++) {
                            try {
                                returned.add(CLUSTER.client().sendMessage(sender, List.of(receiver), "m" + i, true));
                            } catch (RuntimeException e) {
                                failures.add(e);
                            }
                        }
                    },
                    "publisher");
            double reconnectsBefore = CLUSTER.admin().metric("im.redis.subscriber.reconnects");
            publisher.start();
            int kills = 0;
            for (int round = 0; round < 5; round++) {
                await().atMost(WAIT).until(() -> returned.size() > 0);
                TimeUnit.MILLISECONDS.sleep(150); // spread the kills over the stream
                kills += killConnectionsNamed(
                        CLUSTER.redisServer().host(), CLUSTER.redisServer().port(), "im-service");
            }
            publisher.join(WAIT.toMillis());
            System.out.printf(
                    "killed %d node connections; %d sends returned, %d threw%n",
                    kills, returned.size(), failures.size());
            assertThat(failures)
                    .as("the client's own connections were not killed")
                    .isEmpty();

            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> messageIds(rx).size() >= returned.size()
                            && frames(tx, "receipt").size() >= returned.size());
            assertExactlyOnceInOrder(messageIds(rx), returned);
            List<JsonNode> receipts = frames(tx, "receipt");
            assertThat(receipts)
                    .extracting(r -> r.path("id").asText())
                    .as("one receipt per message")
                    .containsExactlyInAnyOrderElementsOf(returned);
            assertThat(receipts).extracting(r -> r.path("status").asText()).containsOnly("delivered");
            assertThat(CLUSTER.admin().metric("im.redis.subscriber.reconnects")).isGreaterThan(reconnectsBefore);
            assertThat(CLUSTER.admin().metric("im.streams.inbox.gaps")).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> CLUSTER.redis().xlen("im:node:" + CLUSTER.entry(0)) == 0);
        }
    }

    @Test
    void aPublisherFlatOutLosesNothing() throws Exception {
        String receiver = UniqueIds.of("flat-rx");
        String inbox = "im:node:" + CLUSTER.entry(0);
        int total = 50_000;
        try (TestTerminal rx = CLUSTER.connect(receiver, "")) {
            List<String> sent = new ArrayList<>(total);
            long start = System.nanoTime();
            for (int batch = 0; batch < total; batch += 5000) {
                try (AbstractPipeline pipeline = CLUSTER.redis().pipelined()) {
                    for (int i = batch; i < batch + 5000; i++) {
                        String id = "flat-" + i;
                        sent.add(id);
                        pipeline.xadd(
                                inbox,
                                Streams.addParams(1_000_000),
                                Streams.entry("{\"v\":1,\"type\":\"msg\","
                                        + "\"id\":\"" + id + "\",\"from\":\"\",\"to\":[\"" + receiver + "\"],\"data\":"
                                        + "\"hello, this is a typical chat message of some length\",\"ts\":1}"));
                    }
                    pipeline.sync();
                }
            }
            long written = System.nanoTime();
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> messageIds(rx).size() >= total);
            long delivered = System.nanoTime();
            System.out.printf(
                    "flat out: %d messages written in %d ms, all delivered after %d ms (%.0f msg/s)%n",
                    total,
                    (written - start) / 1_000_000,
                    (delivered - start) / 1_000_000,
                    total * 1e9 / (delivered - start));
            assertExactlyOnceInOrder(messageIds(rx), sent);
            assertThat(CLUSTER.admin().metric("im.streams.inbox.gaps")).isZero();
            assertThat(CLUSTER.admin()
                            .metrics()
                            .path("histograms")
                            .path("im.streams.inbox.entriesPerRead")
                            .path("max")
                            .asLong())
                    .as("one read takes many entries under load")
                    .isGreaterThan(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> CLUSTER.redis().xlen(inbox) == 0);
        }
    }

    @Test
    void anEventBusWhoseConnectionIsKilledResumesWhereItStopped() throws Exception {
        List<String> online = new CopyOnWriteArrayList<>();
        EventBus bus = CLUSTER.client().eventBus(event -> online.add(event.clientId()), null);
        try {
            assertThat(bus.awaitSubscribed(Duration.ofSeconds(10))).isTrue();
            List<String> published = new ArrayList<>();
            Thread publisher = new Thread(
                    () -> {
                        for (int batch = 0; batch < 40; batch++) {
                            try (AbstractPipeline pipeline = CLUSTER.redis().pipelined()) {
                                for (int i = 0; i < 100; i++) {
                                    String clientId = "ev-" + (batch * 100 + i);
                                    published.add(clientId);
                                    pipeline.xadd(
                                            "im:events",
                                            Streams.addParams(1_000_000),
                                            Streams.entry("{\"v\":1,"
                                                    + "\"type\":\"online\",\"clientId\":\"" + clientId
                                                    + "\",\"metadata\":\"\","
                                                    + "\"node\":\"test\",\"reason\":\"connect\",\"ts\":1}"));
                                }
                                pipeline.sync();
                            }
                            sleep(10);
                        }
                    },
                    "events");
            publisher.start();
            for (int round = 0; round < 4; round++) {
                sleep(80);
                killConnectionsNamed(
                        CLUSTER.redisServer().host(), CLUSTER.redisServer().port(), "im-client");
            }
            publisher.join(WAIT.toMillis());

            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> online.size() >= published.size());
            assertThat(online).as("every event once, in order").containsExactlyElementsOf(published);
            assertThat(bus.subscriptions()).as("it reconnected").isGreaterThan(1);
            assertThat(bus.gaps()).isZero();
        } finally {
            bus.close();
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
