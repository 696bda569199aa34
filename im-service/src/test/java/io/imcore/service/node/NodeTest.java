package io.imcore.service.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.HelloFrame;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import io.imcore.service.hub.QueueLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connects, closes and their presence writes, with the store failing and coming back. */
class NodeTest {
    private final MemoryNode core = new MemoryNode();

    @Test
    void aConnectionGetsHelloFirstNamingTheClientAndThisNode() throws Exception {
        Connection c = core.connect("alice");

        HelloFrame hello = (HelloFrame) Codec.decodeFrame(c.sink().frames().get(0));
        assertThat(hello).isEqualTo(new HelloFrame("alice", MemoryNode.SELF, 25, hello.session(), 0L, false));
        assertThat(hello.session()).isNotBlank();
    }

    @Test
    void onlyTheFirstConnectAndTheLastCloseOfAClientPublishEvents() {
        Connection first = core.connect("alice");
        Connection second = core.connect("alice");
        assertThat(core.presence.online()).containsEntry("alice", 2);

        core.closed(first);
        assertThat(core.presence.online()).containsEntry("alice", 1);
        core.closed(second);

        assertThat(core.presence.eventLog()).containsExactly("online:alice:connect", "offline:alice:disconnect");
        assertThat(core.presence.online()).isEmpty();
        assertThat(core.hub.contains("alice")).isFalse();
    }

    @Test
    void aConnectJoinsTheChannelsTheClientIsAMemberOfAndTheEndOfItsWindowLeavesThem() {
        core.presence.join("alice", "room");

        Connection c = core.connect("alice");
        assertThat(core.hub.members("room")).containsExactly("alice");
        core.closed(c);
        assertThat(core.hub.members("room"))
                .as("kept while the session waits for a resume")
                .containsExactly("alice");
        assertThat(core.presence.channelsOf("alice")).containsExactly("room");

        core.timers.advance(Duration.ofMinutes(2));
        assertThat(core.hub.members("room")).isEmpty();
        assertThat(core.presence.channelsOf("alice"))
                .as("channels.keepOnDisconnect is false")
                .isEmpty();
    }

    @Test
    void anOfflineThatFailedIsOwedAndWrittenWhenTheStoreAnswersAgain() {
        Connection c = core.connect("alice");
        core.presence.down(true);
        core.closed(c);
        assertThat(core.node.needsReassert()).isTrue();

        core.presence.down(false);
        core.node.reassert(false, false);

        assertThat(core.presence.eventLog()).containsExactly("online:alice:connect", "offline:alice:disconnect");
        assertThat(core.presence.online()).isEmpty();
        assertThat(core.node.needsReassert()).isFalse();
    }

    @Test
    void aClientThatReconnectsWhileItOwesAnOfflineGetsOfflineBeforeItsNewOnline() {
        Connection c = core.connect("alice");
        core.presence.down(true);
        core.closed(c);
        core.presence.down(false);

        core.connect("alice");

        assertThat(core.presence.eventLog())
                .containsExactly("online:alice:connect", "offline:alice:disconnect", "online:alice:connect");
        assertThat(core.presence.online()).containsEntry("alice", 1);
    }

    @Test
    void anOnlineThatFailedIsPublishedByTheReassertAndTheOfflineFollowsIt() {
        core.presence.down(true);
        Connection c = core.connect("alice");
        assertThat(core.presence.events()).isEmpty();

        core.presence.down(false);
        core.node.reassert(false, false);
        core.closed(c);

        assertThat(core.presence.eventLog()).containsExactly("online:alice:connect", "offline:alice:disconnect");
    }

    @Test
    void aClientWhoseOnlineWasNeverPublishedGetsNoOfflineEither() {
        core.presence.down(true);
        Connection c = core.connect("alice");
        core.closed(c);

        core.presence.down(false);
        core.node.reassert(false, false);

        assertThat(core.presence.events()).isEmpty();
        assertThat(core.presence.online()).isEmpty();
    }

    @Test
    void aReassertAfterTheNodeWasSweptPublishesOnlineAgainForEveryClient() {
        core.connect("alice");
        core.connect("bob");

        core.node.reassert(true, true);

        assertThat(core.presence.eventLog())
                .containsExactlyInAnyOrder(
                        "online:alice:connect", "online:bob:connect", "online:alice:connect", "online:bob:connect");
    }

    @Test
    void oneConnectionMoreThanAClientMayHoldIsRefusedWith1008AndChangesNothing() {
        MemoryNode small = new MemoryNode(new QueueLimits(10, 10_000), new ConnectionLimits(10, 1));
        small.connect("alice");

        assertThatThrownBy(() -> small.connect("alice"))
                .isInstanceOfSatisfying(
                        ConnectRefusedException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.POLICY));
        assertThat(small.presence.online()).containsEntry("alice", 1);
        assertThat(small.hub.connectionCount()).isEqualTo(1);
    }

    @Test
    void aFirstConnectOnAFullNodeIsRefusedWith1001AndLeavesNoEntryBehind() {
        MemoryNode small = new MemoryNode(new QueueLimits(10, 10_000), new ConnectionLimits(1, 10));
        small.connect("alice");

        assertThatThrownBy(() -> small.connect("bob"))
                .isInstanceOfSatisfying(
                        ConnectRefusedException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.GOING_AWAY));
        assertThat(small.hub.contains("bob")).isFalse();
        assertThat(small.presence.events()).hasSize(1);
    }

    @Test
    void aShutdownClosesEveryConnectionWith1001BeforeItWritesEachClientOffline() {
        Connection alice = core.connect("alice");
        Connection bob = core.connect("bob");
        core.presence.onPublish(event -> {
            if (event.type().equals("offline")) {
                assertThat(alice.sink().closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
                assertThat(bob.sink().closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
            }
        });

        core.node.shutdown(CloseCodes.GOING_AWAY, "node shutting down");

        assertThat(core.presence.eventLog())
                .containsSubsequence("offline:alice:shutdown")
                .containsSubsequence("offline:bob:shutdown")
                .hasSize(4);
        assertThat(core.presence.online()).isEmpty();
        assertThat(core.node.stoppedCleanly()).isTrue();
        assertThatThrownBy(() -> core.connect("carol")).isInstanceOf(ConnectRefusedException.class);
    }

    @Test
    void aShutdownThatCannotWriteWithinItsGracePeriodLeavesTheClientsToTheDeadNodeSweep() {
        core.connect("alice");
        core.presence.down(true);

        core.node.shutdown(CloseCodes.GOING_AWAY, "node shutting down");

        assertThat(core.node.stoppedCleanly()).isFalse();
    }

    @Test
    void theTransportClosingAConnectionAfterTheShutdownDroppedItWritesNothingTwice() {
        Connection c = core.connect("alice");
        core.node.shutdown(CloseCodes.GOING_AWAY, "node shutting down");

        core.closed(c);

        assertThat(core.presence.eventLog()).containsExactly("online:alice:connect", "offline:alice:shutdown");
    }
}
