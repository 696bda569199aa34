package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.client.ImClient;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * SIGTERM to a node process: every connection closes with 1001, one {@code offline} event (reason
 * {@code shutdown}) per client, no key of the node left, all within the configured grace period, and the
 * process exits with status 0.
 */
class SigtermIntegrationTest {
    static final Duration GRACE = Duration.ofSeconds(5);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().running().withEvents();

    @Test
    void sigtermClosesWith1001PublishesOfflineRemovesTheKeysAndExitsZeroWithinTheGracePeriod() throws Exception {
        String self = CLUSTER.entry(0);
        ImClient client = CLUSTER.client();
        RedisClient redis = CLUSTER.redis();
        PresenceRecorder events = CLUSTER.events();
        try (NodeProcess node =
                CLUSTER.startProcess(0, Map.of("cluster.shutdownGracePeriod", GRACE.toSeconds() + "s"))) {
            TestTerminal dave = TestTerminal.connectReady(client.prevConnectServer("dave", "d1"));
            TestTerminal dave2 = TestTerminal.connectReady(client.prevConnectServer("dave", "d2"));
            TestTerminal erin = TestTerminal.connectReady(client.prevConnectServer("erin", "e"));
            client.joinChan("dave", "room");
            client.joinChan("erin", "room");
            events.awaitFirst(PresenceEvent.ONLINE, "erin");
            assertThat(redis.hlen("im:node:" + self + ":online")).isEqualTo(2);

            long start = System.nanoTime();
            node.terminate();
            int status = node.awaitExit(GRACE.plusSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(status).as("exit status; log:\n%s", node.log()).isZero();
            assertThat(took).as("time from SIGTERM to exit").isLessThan(GRACE);
            for (TestTerminal terminal : List.of(dave, dave2, erin)) {
                assertThat(terminal.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
            }
            for (String clientId : List.of("dave", "erin")) {
                PresenceEvent offline = events.awaitFirst(PresenceEvent.OFFLINE, clientId);
                assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_SHUTDOWN);
                assertThat(offline.node()).isEqualTo(self);
            }
            assertThat(redis.exists("im:node:" + self + ":online")).isFalse();
            assertThat(redis.hexists("im:nodes", self)).isFalse();
            assertThat(redis.exists("im:sweep:" + self)).isFalse();
            assertThat(redis.exists("im:chan:room", "im:client:dave:chans", "im:client:erin:chans"))
                    .isZero();
            assertThat(redis.sismember("im:chans", "room")).isFalse();
            // the events were the last ones: exactly one offline each, after their online
            assertThat(events.of("dave"))
                    .extracting(PresenceEvent::type)
                    .containsExactly(PresenceEvent.ONLINE, PresenceEvent.OFFLINE);
            assertThat(events.of("erin"))
                    .extracting(PresenceEvent::type)
                    .containsExactly(PresenceEvent.ONLINE, PresenceEvent.OFFLINE);
        }
    }
}
