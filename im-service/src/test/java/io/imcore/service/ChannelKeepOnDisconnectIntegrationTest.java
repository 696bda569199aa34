package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.protocol.Keys;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.TestNodes;
import io.imcore.service.support.TestTerminal;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** With {@code channels.keepOnDisconnect: true} memberships outlive the client's last connection. */
class ChannelKeepOnDisconnectIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(1);

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE = CLUSTER.node(0, REDIS,
            ConfigOverride.config("channels.keepOnDisconnect", "true"));

    static final Keys KEYS = Keys.withDefaultPrefix();

    static ImClient client;
    static RedisClient redis;
    static PresenceRecorder events;

    @BeforeAll
    static void clients() {
        client = CLUSTER.client(REDIS);
        redis = REDIS.newJedis();
        events = PresenceRecorder.start(client);
    }

    @AfterAll
    static void closeClients() {
        events.close();
        client.close();
        redis.close();
    }

    /** Closes the client's only connection and waits for its offline event, published after any channel cleanup. */
    private static void disconnectAndAwaitOffline(TestTerminal terminal, String clientId) {
        terminal.close();
        PresenceEvent offline = events.awaitFirst(PresenceEvent.OFFLINE, clientId);
        assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_DISCONNECT);
        assertThat(redis.hexists(KEYS.nodeOnline(CLUSTER.entry(0)), clientId)).isFalse();
    }

    @Test
    void membershipsSurviveTheLastConnectionClosing() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        client.joinChan(alice, chan);

        disconnectAndAwaitOffline(TestTerminal.connectReady(client.prevConnectServer(alice, "")), alice);

        assertThat(redis.smembers(KEYS.clientChans(alice))).containsExactly(chan);
        assertThat(redis.hkeys(KEYS.chan(chan))).containsExactly(alice);
        assertThat(redis.smembers(KEYS.chans())).contains(chan);
        assertThat(client.getChanClientList(chan)).containsExactly(alice);
        assertThat(client.getChanOnline(chan)).isZero();
    }

    @Test
    void aReconnectingMemberGetsChannelMessagesWithoutJoiningAgain() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        client.joinChan(alice, chan);
        disconnectAndAwaitOffline(TestTerminal.connectReady(client.prevConnectServer(alice, "")), alice);

        try (TestTerminal terminal = TestTerminal.connectReady(client.prevConnectServer(alice, ""))) {
            String id = client.sendChanMessage("", chan, "welcome back");

            assertThat(terminal.next("chan").path("id").asText()).isEqualTo(id);
        }
    }
}
