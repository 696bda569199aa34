package io.imcore.service.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.client.EventBus;
import io.imcore.client.ImClient;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawHttp;
import io.imcore.testkit.TestTerminal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * {@code drain} through the real admin port: new upgrades get 503 at once, the clients are closed with 1001
 * spread over the period, one {@code offline} event (reason {@code shutdown}) each, and then the node's keys
 * and its clients' memberships are gone and stay gone; the node reports itself unhealthy.
 */
class DrainIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode();

    @Test
    void drainClosesClientsSpreadOverThePeriodAndLeavesNoKeys() throws InterruptedException {
        String self = CLUSTER.entry(0);
        AdminPort admin = CLUSTER.admin();
        List<PresenceEvent> offline = new CopyOnWriteArrayList<>();
        ImClient client = CLUSTER.client();
        RedisClient redis = CLUSTER.redis();
        try (EventBus events = client.eventBus(e -> {}, offline::add)) {
            assertThat(events.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
            TestTerminal c1 = TestTerminal.connectReady(client.prevConnectServer("c1", "a"));
            TestTerminal c1b = TestTerminal.connectReady(client.prevConnectServer("c1", "b"));
            TestTerminal c2 = TestTerminal.connectReady(client.prevConnectServer("c2", ""));
            TestTerminal c3 = TestTerminal.connectReady(client.prevConnectServer("c3", ""));
            client.joinChan("c1", "room");
            client.joinChan("c2", "room");
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.metric("im.channels.local") == 1);
            assertThat(admin.task("drain", "period=later").statusCode()).isEqualTo(400);
            assertThat(List.of(c1, c1b, c2, c3)).allMatch(TestTerminal::isOpen);

            JsonNode answer = admin.taskJson("drain", "period=2s");
            assertThat(answer.path("node").asText()).isEqualTo(self);
            assertThat(answer.path("state").asText()).isEqualTo("draining");
            assertThat(answer.path("alreadyDraining").asBoolean()).isFalse();
            assertThat(answer.path("periodMs").asLong()).isEqualTo(2000);
            assertThat(answer.path("clients").asInt()).isEqualTo(3);
            assertThat(answer.path("connections").asInt()).isEqualTo(4);

            HttpResponse<?> refused = RawHttp.refusedUpgrade(client.prevConnectServer("late", ""));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(
                            refused.body() instanceof byte[] bytes
                                    ? new String(bytes, StandardCharsets.UTF_8)
                                    : String.valueOf(refused.body()))
                    .as("the refusal's reason")
                    .contains("node draining");
            JsonNode cluster = admin.health().path("cluster");
            assertThat(cluster.path("healthy").asBoolean()).isFalse();
            assertThat(cluster.path("message").asText()).contains("draining");

            for (TestTerminal terminal : List.of(c1, c1b, c2, c3)) {
                assertThat(terminal.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> offline.size() >= 3);
            assertThat(offline).extracting(PresenceEvent::clientId).containsExactlyInAnyOrder("c1", "c2", "c3");
            assertThat(offline).extracting(PresenceEvent::reason).containsOnly(PresenceEvent.REASON_SHUTDOWN);
            long first = offline.stream().mapToLong(PresenceEvent::ts).min().orElseThrow();
            long last = offline.stream().mapToLong(PresenceEvent::ts).max().orElseThrow();
            // 3 clients over 2 s are closed at 0, 0.67 and 1.33 s; all at once would be a few ms apart
            assertThat(last - first).as("spread of the offline events").isBetween(800L, 3_000L);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(redis.exists("im:node:" + self + ":online")).isFalse();
                assertThat(redis.hexists("im:nodes", self)).isFalse();
                assertThat(admin.taskJson("drain", "").path("state").asText()).isEqualTo("drained");
            });
            assertThat(redis.exists("im:chan:room")).isFalse();
            assertThat(redis.exists("im:client:c1:chans")).isFalse();
            assertThat(redis.sismember("im:chans", "room")).isFalse();
            // the lease keeper refreshes every second in tests: the entry must not come back
            await().during(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> !redis.hexists("im:nodes", self));

            JsonNode again = admin.taskJson("drain", "period=0s");
            assertThat(again.path("alreadyDraining").asBoolean()).isTrue();
            assertThat(again.path("periodMs").asLong()).isEqualTo(2000);
            assertThat(again.path("closed").asInt()).isEqualTo(3);
            assertThat(admin.metric("im.connections.closed.1001")).isEqualTo(4);
            assertThat(admin.metric("im.connections")).isZero();
            assertThat(admin.metric("im.cluster.partition.0.alive")).isZero();
            assertThat(admin.metric("im.cluster.partition.0.connections")).isZero();
        }
    }
}
