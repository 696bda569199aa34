package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.Keys;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code channels.keepOnDisconnect: true} memberships outlive the client's last connection. */
class ChannelKeepOnDisconnectIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("channels.keepOnDisconnect", "true")
            .withEvents();

    static final Keys KEYS = Keys.withDefaultPrefix();

    /** Closes the client's only connection and waits for its offline event, published after any channel cleanup. */
    private static void disconnectAndAwaitOffline(TestTerminal terminal, String clientId) {
        terminal.close();
        PresenceEvent offline = CLUSTER.events().awaitFirst(PresenceEvent.OFFLINE, clientId);
        assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_DISCONNECT);
        assertThat(CLUSTER.redis().hexists(KEYS.nodeOnline(CLUSTER.entry(0)), clientId))
                .isFalse();
    }

    @Test
    void membershipsSurviveTheLastConnectionClosing() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        CLUSTER.client().joinChan(alice, chan);

        disconnectAndAwaitOffline(CLUSTER.connect(alice, ""), alice);

        assertThat(CLUSTER.redis().smembers(KEYS.clientChans(alice))).containsExactly(chan);
        assertThat(CLUSTER.redis().hkeys(KEYS.chan(chan))).containsExactly(alice);
        assertThat(CLUSTER.redis().smembers(KEYS.chans())).contains(chan);
        assertThat(CLUSTER.client().getChanClientList(chan)).containsExactly(alice);
        assertThat(CLUSTER.client().getChanOnline(chan)).isZero();
    }

    @Test
    void aReconnectingMemberGetsChannelMessagesWithoutJoiningAgain() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        CLUSTER.client().joinChan(alice, chan);
        disconnectAndAwaitOffline(CLUSTER.connect(alice, ""), alice);

        try (TestTerminal terminal = CLUSTER.connect(alice, "")) {
            String id = CLUSTER.client().sendChanMessage("", chan, "welcome back");

            assertThat(terminal.next("chan").path("id").asText()).isEqualTo(id);
        }
    }
}
