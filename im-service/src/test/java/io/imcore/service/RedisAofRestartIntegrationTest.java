package io.imcore.service;

import static io.imcore.service.support.Deliveries.assertExactlyOnceInOrder;
import static io.imcore.service.support.Deliveries.frames;
import static io.imcore.service.support.Deliveries.messageIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis with an append-only file written with {@code appendfsync always} is killed (SIGKILL) and restarted in the
 * middle of a stream of messages with receipts: every message whose send returned arrives exactly once and in
 * order, every one of them gets exactly one receipt, and the node reports no gap (Redis kept its data).
 */
class RedisAofRestartIntegrationTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .withAppendOnlyRedis()
            .override("redis.connectTimeout", "500ms")
            .override("redis.socketTimeout", "1s")
            .override("streams.block", "200ms")
            .clientOptions(
                    options -> options.connectTimeout(Duration.ofMillis(500)).socketTimeout(Duration.ofMillis(500)));

    @Test
    void aRedisCrashWithAppendFsyncAlwaysLosesNothing() throws Exception {
        String receiver = UniqueIds.of("aof-rx");
        String sender = UniqueIds.of("aof-tx");
        try (TestTerminal rx = CLUSTER.connect(receiver, "");
                TestTerminal tx = CLUSTER.connect(sender, "")) {
            List<String> returned = new CopyOnWriteArrayList<>();
            AtomicInteger threw = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread publisher = new Thread(
                    () -> {
                        int i = 0;
                        while (running.get()) {
                            try {
                                returned.add(CLUSTER.client().sendMessage(sender, List.of(receiver), "m" + i++, true));
                            } catch (RuntimeException e) {
                                threw.incrementAndGet();
                                sleep(20);
                            }
                        }
                    },
                    "publisher");
            publisher.start();
            await().atMost(WAIT).until(() -> returned.size() >= 500);

            CLUSTER.redisServer().crash();
            sleep(500);
            CLUSTER.redisServer().start();
            int beforeRestart = returned.size();
            await().atMost(WAIT).until(() -> returned.size() >= beforeRestart + 500);
            running.set(false);
            publisher.join(WAIT.toMillis());
            System.out.printf(
                    "AOF restart: %d sends returned, %d threw during the outage%n", returned.size(), threw.get());

            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> new HashSet<>(messageIds(rx)).containsAll(returned)
                            && frames(tx, "receipt").size() >= returned.size());
            assertExactlyOnceInOrder(messageIds(rx), returned);
            List<JsonNode> receipts = frames(tx, "receipt");
            List<String> receiptIds =
                    receipts.stream().map(r -> r.path("id").asText()).toList();
            assertThat(new HashSet<>(receiptIds)).as("no receipt twice").hasSameSizeAs(receiptIds);
            assertThat(receiptIds)
                    .as("a receipt for every message whose send returned")
                    .containsAll(returned);
            assertThat(receipts).extracting(r -> r.path("status").asText()).containsOnly("delivered");
            assertThat(CLUSTER.admin().metric("im.streams.inbox.gaps"))
                    .as("Redis kept its data")
                    .isZero();
            assertThat(CLUSTER.admin().metric("im.streams.broadcast.gaps")).isZero();
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
