package io.imcore.service.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.service.support.NodeCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The health checks through the real admin port: all healthy on a running node; {@code redis},
 * {@code redis-subscriber} and {@code cluster} unhealthy with a reason while the test's own Redis is down;
 * healthy again once it is back. The node is one of a two-node cluster whose other node never started.
 */
class HealthChecksIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2).running(0);

    @Test
    void checksGoUnhealthyWhileRedisIsDownAndRecoverAfter() {
        String self = CLUSTER.entry(0);
        String other = CLUSTER.entry(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CLUSTER.admin().get("/healthcheck").statusCode() == 200);
        JsonNode healthy = CLUSTER.admin().health();
        assertThat(healthy.path("redis").path("healthy").asBoolean()).isTrue();
        assertThat(healthy.path("redis").path("message").asText()).matches("PING [0-9.]+ ms");
        assertThat(healthy.path("redis-subscriber").path("healthy").asBoolean()).isTrue();
        assertThat(healthy.path("redis-subscriber").path("message").asText())
                .startsWith("READING [im:node:" + self + ", im:broadcast] since ")
                .endsWith(" ms behind");
        JsonNode cluster = healthy.path("cluster");
        assertThat(cluster.path("healthy").asBoolean()).isTrue();
        assertThat(cluster.path("message").asText())
                .startsWith("lease of " + self + " refreshed ")
                .contains("1 of 2 nodes alive")
                .contains(other + " (no entry in nodes)");
        assertThat(cluster.path("down").get(0).asText()).isEqualTo(other + " (no entry in nodes)");
        double failedBefore = CLUSTER.admin().metric("im.redis.commands.failed");
        double reconnectsBefore = CLUSTER.admin().metric("im.redis.subscriber.reconnects");

        CLUSTER.redisServer().stop();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(CLUSTER.admin().get("/healthcheck").statusCode()).isEqualTo(500);
                JsonNode down = CLUSTER.admin().health();
                assertThat(down.path("redis").path("healthy").asBoolean()).isFalse();
                assertThat(down.path("redis").path("message").asText()).startsWith("Redis unreachable: ");
                assertThat(down.path("redis-subscriber").path("healthy").asBoolean())
                        .isFalse();
                assertThat(down.path("redis-subscriber").path("message").asText())
                        .startsWith("RECONNECTING since ")
                        .contains("last error: ");
                assertThat(down.path("cluster").path("healthy").asBoolean()).isFalse();
                assertThat(down.path("cluster").path("message").asText())
                        .startsWith("lease of " + self + " last refreshed ")
                        .contains("(limit 2000 ms)");
            });
            assertThat(CLUSTER.admin().metric("im.redis.commands.failed")).isGreaterThan(failedBefore);
            assertThat(CLUSTER.admin().metric("im.redis.subscriber.reconnects")).isGreaterThan(reconnectsBefore);
        } finally {
            CLUSTER.redisServer().start();
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(CLUSTER.admin().get("/healthcheck").statusCode()).isEqualTo(200);
            JsonNode back = CLUSTER.admin().health();
            assertThat(back.path("redis").path("healthy").asBoolean()).isTrue();
            assertThat(back.path("redis-subscriber").path("healthy").asBoolean())
                    .isTrue();
            assertThat(back.path("cluster").path("healthy").asBoolean()).isTrue();
        });
    }
}
