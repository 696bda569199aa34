package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.EventBus;
import io.imcore.client.ImClient;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.TestNodes;
import io.imcore.service.support.TestTerminal;
import io.imcore.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** A clean stop closes terminals with 1001, publishes one offline per client and leaves no key behind. */
class GracefulStopIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(1);

    @Test
    void stopClosesWith1001PublishesOfflineAndRemovesTheNodesKeys() throws Exception {
        DropwizardAppExtension<ImServiceConfiguration> app = CLUSTER.node(0, REDIS);
        DropwizardTestSupport<ImServiceConfiguration> node = app.getTestSupport();
        node.before();
        List<PresenceEvent> offline = new CopyOnWriteArrayList<>();
        try (ImClient client = CLUSTER.client(REDIS); RedisClient redis = REDIS.newJedis();
             EventBus events = client.eventBus(e -> { }, offline::add)) {
            assertThat(events.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
            TestTerminal dave = TestTerminal.connectReady(client.prevConnectServer("dave", "d"));
            TestTerminal dave2 = TestTerminal.connectReady(client.prevConnectServer("dave", "d2"));
            TestTerminal erin = TestTerminal.connectReady(client.prevConnectServer("erin", "e"));
            client.joinChan("dave", "room");
            String self = CLUSTER.entry(0);
            assertThat(redis.hexists("im:nodes", self)).isTrue();

            node.after();

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
