package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.client.ChannelInfo;
import io.imcore.protocol.Keys;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.Markers;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channels on one node with the default {@code channels.keepOnDisconnect: false} (PROTOCOL.md sections 4, 5). The
 * resume window is 0, so a client's last close ends its session and leaves its channels at once; memberships
 * during a window are in {@code ResumeIntegrationTest} and {@code SessionWindowTest}.
 */
class ChannelIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER =
            NodeCluster.singleNode().override("websocket.resume.window", "0s").withEvents();

    static final Keys KEYS = Keys.withDefaultPrefix();
    static final Duration WAIT = Duration.ofSeconds(10);

    private static TestTerminal connect(String clientId) {
        return CLUSTER.connect(clientId, "");
    }

    private static String onlineCount(String clientId) {
        return CLUSTER.redis().hget(KEYS.nodeOnline(CLUSTER.entry(0)), clientId);
    }

    /**
     * Waits for the offline event of {@code clientId}: the node publishes it after it removed the client from
     * the online hash and from its channels.
     */
    private static void awaitOffline(String clientId) {
        CLUSTER.events().awaitFirst(PresenceEvent.OFFLINE, clientId);
    }

    @Test
    void aChannelMessageReachesEveryConnectionOfEveryMemberAndNoOneElse() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        String carol = UniqueIds.of("carol");
        try (TestTerminal alice1 = connect(alice);
                TestTerminal alice2 = connect(alice);
                TestTerminal bobTerminal = connect(bob);
                TestTerminal carolTerminal = connect(carol)) {
            CLUSTER.client().joinChan(alice, chan);
            CLUSTER.client().joinChan(bob, chan);

            long before = System.currentTimeMillis();
            String id = CLUSTER.client().sendChanMessage(bob, chan, Map.of("text", "hi room"));

            for (TestTerminal terminal : List.of(alice1, alice2, bobTerminal)) {
                JsonNode frame = terminal.next();
                assertThat(frame.path("v").asInt()).isEqualTo(1);
                assertThat(frame.path("type").asText()).isEqualTo("chan");
                assertThat(frame.path("id").asText()).isEqualTo(id);
                assertThat(frame.path("chan").asText()).isEqualTo(chan);
                assertThat(frame.path("from").asText()).isEqualTo(bob);
                assertThat(frame.path("data").path("text").asText()).isEqualTo("hi room");
                assertThat(frame.path("ts").asLong()).isGreaterThanOrEqualTo(before);
            }
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), carol, carolTerminal);
        }
    }

    @Test
    void aSystemChannelMessageHasAnEmptySenderAndKeepsItsData() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = connect(alice)) {
            CLUSTER.client().joinChan(alice, chan);
            CLUSTER.client().sendChanMessage("", chan, "maintenance at 22:00");

            String raw = terminal.nextRaw();
            assertThat(raw).containsPattern("\"data\":\"maintenance at 22:00\"[,}]");
            assertThat(raw).containsPattern("\"from\":\"\"[,}]");
        }
    }

    @Test
    void aMessageToAnotherChannelDoesNotReachAMember() {
        String chan = UniqueIds.of("room");
        String other = UniqueIds.of("other");
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            CLUSTER.client().joinChan(alice, chan);
            CLUSTER.client().joinChan(bob, other);
            CLUSTER.client().sendChanMessage("", other, "for the other channel");

            assertThat(bobTerminal.next("chan").path("chan").asText()).isEqualTo(other);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, aliceTerminal);
        }
    }

    @Test
    void leavingAChannelStopsDelivery() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = connect(alice)) {
            CLUSTER.client().joinChan(alice, chan);
            String first = CLUSTER.client().sendChanMessage("", chan, "first");
            assertThat(terminal.next("chan").path("id").asText()).isEqualTo(first);

            CLUSTER.client().leaveChan(alice, chan);
            CLUSTER.client().sendChanMessage("", chan, "after leaving");

            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, terminal);
            assertThat(CLUSTER.client().getChanListByClientId(alice)).doesNotContain(chan);
            assertThat(CLUSTER.client().getChanClientList(chan)).doesNotContain(alice);
        }
    }

    @Test
    void joiningTwiceIsIdempotentAndDeliversOnce() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = connect(alice)) {
            CLUSTER.client().joinChan(alice, chan);
            CLUSTER.client().joinChan(alice, chan);
            String id = CLUSTER.client().sendChanMessage("", chan, "once");

            assertThat(terminal.next("chan").path("id").asText()).isEqualTo(id);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, terminal);
            assertThat(CLUSTER.client().getChanClientList(chan)).containsExactly(alice);
        }
    }

    @Test
    void aJoinWhileOfflineTakesEffectOnConnect() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        CLUSTER.client().joinChan(alice, chan);

        try (TestTerminal terminal = connect(alice)) {
            String id = CLUSTER.client().sendChanMessage("", chan, "welcome");

            JsonNode frame = terminal.next();
            assertThat(frame.path("type").asText()).isEqualTo("chan");
            assertThat(frame.path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void aLeaveWhileOfflineTakesEffectOnConnect() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        CLUSTER.client().joinChan(alice, chan);
        CLUSTER.client().leaveChan(alice, chan);

        try (TestTerminal terminal = connect(alice)) {
            CLUSTER.client().sendChanMessage("", chan, "not for alice");

            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, terminal);
        }
    }

    @Test
    void channelQueriesReflectMembershipAndOnlineState() {
        String chan = UniqueIds.of("room");
        String second = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        CLUSTER.client().joinChan(alice, chan);
        CLUSTER.client().joinChan(alice, second);
        CLUSTER.client().joinChan(bob, chan);

        assertThat(CLUSTER.client().getChanClientList(chan)).containsExactlyInAnyOrder(alice, bob);
        assertThat(CLUSTER.client().getChanClientList(second)).containsExactly(alice);
        assertThat(CLUSTER.client().getChanListByClientId(alice)).containsExactlyInAnyOrder(chan, second);
        assertThat(CLUSTER.client().getChanListByClientId(bob)).containsExactly(chan);
        assertThat(CLUSTER.client().getChanOnline(chan)).isZero();
        assertThat(CLUSTER.client().getChanList()).contains(new ChannelInfo(chan, 0), new ChannelInfo(second, 0));

        try (TestTerminal aliceTerminal = connect(alice)) {
            assertThat(CLUSTER.client().getChanOnline(chan)).isEqualTo(1);
            assertThat(CLUSTER.client().getChanOnline(second)).isEqualTo(1);
            assertThat(CLUSTER.client().getChanList()).contains(new ChannelInfo(chan, 1), new ChannelInfo(second, 1));

            try (TestTerminal bob1 = connect(bob);
                    TestTerminal bob2 = connect(bob)) {
                assertThat(CLUSTER.client().getChanOnline(chan))
                        .as("bob counts once with two connections")
                        .isEqualTo(2);
                assertThat(CLUSTER.client().getChanList())
                        .contains(new ChannelInfo(chan, 2), new ChannelInfo(second, 1));
            }
            awaitOffline(bob);
            assertThat(CLUSTER.client().getChanOnline(chan)).isEqualTo(1);
            assertThat(CLUSTER.client().getChanClientList(chan)).containsExactly(alice);
        }
        awaitOffline(alice);
        assertThat(CLUSTER.client().getChanClientList(chan)).isEmpty();
        assertThat(CLUSTER.client().getChanList()).extracting(ChannelInfo::chan).doesNotContain(chan, second);
    }

    @Test
    void getChanListIsSortedByName() {
        String alice = UniqueIds.of("alice");
        CLUSTER.client().joinChan(alice, UniqueIds.of("zeta"));
        CLUSTER.client().joinChan(alice, UniqueIds.of("alpha"));

        List<String> names =
                CLUSTER.client().getChanList().stream().map(ChannelInfo::chan).toList();
        assertThat(names).isSorted();
    }

    @Test
    void whenTheLastConnectionClosesTheClientLeavesAllItsChannels() {
        String alone = UniqueIds.of("alone");
        String shared = UniqueIds.of("shared");
        String alice = UniqueIds.of("alice");
        String zoe = UniqueIds.of("zoe");
        CLUSTER.client().joinChan(alice, alone);
        CLUSTER.client().joinChan(alice, shared);
        CLUSTER.client().joinChan(zoe, shared);

        TestTerminal first = connect(alice);
        TestTerminal second = connect(alice);
        first.close();
        await("alice's count to drop to 1").atMost(WAIT).until(() -> "1".equals(onlineCount(alice)));
        assertThat(CLUSTER.redis().smembers(KEYS.clientChans(alice)))
                .as("still a member while a connection is open")
                .containsExactlyInAnyOrder(alone, shared);
        String stillDelivered = CLUSTER.client().sendChanMessage("", shared, "still here");
        assertThat(second.next("chan").path("id").asText()).isEqualTo(stillDelivered);

        second.close();
        awaitOffline(alice);

        assertThat(CLUSTER.redis().exists(KEYS.clientChans(alice)))
                .as("client:<id>:chans")
                .isFalse();
        assertThat(CLUSTER.redis().exists(KEYS.chan(alone)))
                .as("chan:<alone> had no other member")
                .isFalse();
        assertThat(CLUSTER.redis().hkeys(KEYS.chan(shared))).containsExactly(zoe);
        assertThat(CLUSTER.redis().smembers(KEYS.chans())).doesNotContain(alone).contains(shared);
        assertThat(CLUSTER.client().getChanListByClientId(alice)).isEmpty();
    }

    @Test
    void aClientThatReconnectsAfterLeavingByDisconnectGetsNoChannelMessages() {
        String chan = UniqueIds.of("room");
        String alice = UniqueIds.of("alice");
        CLUSTER.client().joinChan(alice, chan);
        connect(alice).close();
        awaitOffline(alice);

        try (TestTerminal terminal = connect(alice)) {
            CLUSTER.client().sendChanMessage("", chan, "after reconnect");

            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, terminal);
        }
    }
}
