package io.imcore.service.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.service.ImServiceConfiguration;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.TestNodes;
import io.imcore.testkit.RedisExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The health checks through the real admin port: all healthy on a running node; {@code redis},
 * {@code redis-subscriber} and {@code cluster} unhealthy with a reason while the test's own Redis is down;
 * healthy again once it is back. The node is one of a two-node cluster whose other node never started.
 */
class HealthChecksIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(2);

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE = CLUSTER.node(0, REDIS);

    static AdminPort admin;

    @BeforeAll
    static void admin() {
        admin = new AdminPort(NODE.getAdminPort());
    }

    @Test
    void checksGoUnhealthyWhileRedisIsDownAndRecoverAfter() {
        String self = CLUSTER.entry(0);
        String other = CLUSTER.entry(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/healthcheck").statusCode() == 200);
        JsonNode healthy = admin.health();
        assertThat(healthy.path("redis").path("healthy").asBoolean()).isTrue();
        assertThat(healthy.path("redis").path("message").asText()).matches("PING [0-9.]+ ms");
        assertThat(healthy.path("redis-subscriber").path("healthy").asBoolean()).isTrue();
        assertThat(healthy.path("redis-subscriber").path("message").asText())
                .startsWith("SUBSCRIBED to [im:node:" + self + ", im:broadcast] since ");
        JsonNode cluster = healthy.path("cluster");
        assertThat(cluster.path("healthy").asBoolean()).isTrue();
        assertThat(cluster.path("message").asText())
                .startsWith("lease of " + self + " refreshed ")
                .contains("1 of 2 nodes alive")
                .contains(other + " (no entry in nodes)");
        assertThat(cluster.path("down").get(0).asText()).isEqualTo(other + " (no entry in nodes)");
        double failedBefore = admin.metric("im.redis.commands.failed");
        double reconnectsBefore = admin.metric("im.redis.subscriber.reconnects");

        REDIS.stop();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(admin.get("/healthcheck").statusCode()).isEqualTo(500);
                JsonNode down = admin.health();
                assertThat(down.path("redis").path("healthy").asBoolean()).isFalse();
                assertThat(down.path("redis").path("message").asText()).startsWith("Redis unreachable: ");
                assertThat(down.path("redis-subscriber").path("healthy").asBoolean()).isFalse();
                assertThat(down.path("redis-subscriber").path("message").asText())
                        .startsWith("RECONNECTING since ").contains("last error: ");
                assertThat(down.path("cluster").path("healthy").asBoolean()).isFalse();
                assertThat(down.path("cluster").path("message").asText())
                        .startsWith("lease of " + self + " last refreshed ").contains("(limit 2000 ms)");
            });
            assertThat(admin.metric("im.redis.commands.failed")).isGreaterThan(failedBefore);
            assertThat(admin.metric("im.redis.subscriber.reconnects")).isGreaterThan(reconnectsBefore);
        } finally {
            REDIS.start();
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(admin.get("/healthcheck").statusCode()).isEqualTo(200);
            JsonNode back = admin.health();
            assertThat(back.path("redis").path("healthy").asBoolean()).isTrue();
            assertThat(back.path("redis-subscriber").path("healthy").asBoolean()).isTrue();
            assertThat(back.path("cluster").path("healthy").asBoolean()).isTrue();
        });
    }
}
