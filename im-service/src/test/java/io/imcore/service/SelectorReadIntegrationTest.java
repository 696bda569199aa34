package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

/**
 * Terminals' frames are read on the selector thread that found their socket readable (SelectorReadConnection).
 * With every connection on one selector, a close whose Redis work stalls must not hold up what the other
 * terminals send: that work runs on a pool thread.
 */
class SelectorReadIntegrationTest {
    private static final Duration REDIS_STALL = Duration.ofSeconds(6);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("server.applicationConnectors[0].selectorThreads", "1")
            // the close's HDEL waits for the paused Redis instead of failing at the default 2 s timeout
            .override("redis.socketTimeout", "10s");

    @Test
    @SuppressWarnings("deprecation") // RedisClient.sendCommand: CLIENT PAUSE has no typed method here
    void aCloseWaitingForRedisDoesNotHoldTheReadsOfOtherTerminals() {
        String self = CLUSTER.entry(0);
        String dan = UniqueIds.of("dan");
        TestTerminal danTerminal = CLUSTER.connect(dan, "");
        TestTerminal eve = CLUSTER.connect(UniqueIds.of("eve"), "");
        long closedBefore = CLUSTER.admin().counter("im.connections.closed.1000");
        long started = System.nanoTime();
        CLUSTER.redis().sendCommand(Protocol.Command.CLIENT, "PAUSE", String.valueOf(REDIS_STALL.toMillis()), "WRITE");
        try {
            danTerminal.close();
            // the node is in dan's close now, its offline state waiting for Redis
            await().atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> CLUSTER.admin().counter("im.connections.closed.1000") > closedBefore);
            assertThat(CLUSTER.redis().hexists("im:node:" + self + ":online", dan))
                    .isTrue();

            eve.send("{\"type\":\"ping\"}");
            await("eve's pong while Redis still holds dan's close")
                    .atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> eve.pending().stream().anyMatch(frame -> frame.contains("\"pong\"")));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REDIS_STALL);
            assertThat(CLUSTER.redis().hexists("im:node:" + self + ":online", dan))
                    .isTrue();
        } finally {
            CLUSTER.redis().sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !CLUSTER.redis().hexists("im:node:" + self + ":online", dan));
        assertThat(eve.isOpen()).isTrue();
    }
}
