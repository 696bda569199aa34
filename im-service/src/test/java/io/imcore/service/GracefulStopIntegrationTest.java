package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.client.EventBus;
import io.imcore.client.ImClient;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** A clean stop closes terminals with 1001, publishes one offline per client and leaves no key behind. */
class GracefulStopIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().running();

    @Test
    void stopClosesWith1001PublishesOfflineAndRemovesTheNodesKeys() throws Exception {
        CLUSTER.startNode(0);
        ImClient client = CLUSTER.client();
        RedisClient redis = CLUSTER.redis();
        List<PresenceEvent> offline = new CopyOnWriteArrayList<>();
        try (EventBus events = client.eventBus(e -> {}, offline::add)) {
            assertThat(events.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
            TestTerminal dave = TestTerminal.connectReady(client.prevConnectServer("dave", "d"));
            TestTerminal dave2 = TestTerminal.connectReady(client.prevConnectServer("dave", "d2"));
            TestTerminal erin = TestTerminal.connectReady(client.prevConnectServer("erin", "e"));
            client.joinChan("dave", "room");
            String self = CLUSTER.entry(0);
            assertThat(redis.hexists("im:nodes", self)).isTrue();

            CLUSTER.stopNode(0);

            assertThat(dave.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(dave2.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(erin.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
            await().atMost(Duration.ofSeconds(5)).until(() -> offline.size() >= 2);
            assertThat(offline).extracting(PresenceEvent::clientId).containsExactlyInAnyOrder("dave", "erin");
            assertThat(offline).extracting(PresenceEvent::reason).containsOnly(PresenceEvent.REASON_SHUTDOWN);
            assertThat(redis.exists("im:node:" + self + ":online")).isFalse();
            assertThat(redis.hexists("im:nodes", self)).isFalse();
            assertThat(redis.exists("im:chan:room")).isFalse();
            assertThat(redis.exists("im:client:dave:chans")).isFalse();
            assertThat(redis.sismember("im:chans", "room")).isFalse();
        }
    }
}
