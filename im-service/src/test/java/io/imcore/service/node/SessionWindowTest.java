package io.imcore.service.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.ChanEnvelope;
import io.imcore.protocol.ChanFrame;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Frame;
import io.imcore.protocol.HelloFrame;
import io.imcore.protocol.MembershipEnvelope;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import io.imcore.service.hub.ResumeRequest;
import io.imcore.service.hub.SessionLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client whose last connection closed while its session waits for a resume: its channels stay (channel frames
 * are kept for the resume) until the window ends, and its presence stays online for the offline grace.
 */
class SessionWindowTest {
    private static final ResumeRequest ACKS = new ResumeRequest(true, null, 0);
    private final MemoryNode core =
            new MemoryNode(new SessionLimits(Duration.ofMinutes(2), 256, 128 * 1024, Duration.ofSeconds(5)));

    private static Frame frame(String json) {
        try {
            return Codec.decodeFrame(json);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static HelloFrame hello(Connection c) {
        return (HelloFrame) frame(c.sink().frames().get(0));
    }

    /** "id:seq" of every chan frame the connection got. */
    private static List<String> chanFrames(Connection c) {
        return c.sink().frames().stream()
                .map(SessionWindowTest::frame)
                .filter(ChanFrame.class::isInstance)
                .map(ChanFrame.class::cast)
                .map(m -> m.id() + ":" + m.seq())
                .toList();
    }

    private void chan(String id, String room) {
        core.receive(new ChanEnvelope(id, "", room, Codec.toData(id), 1));
    }

    private Connection resume(Connection dropped, long seq) {
        return core.connect("bob", new ResumeRequest(true, hello(dropped).session(), seq));
    }

    @Test
    void channelFramesSentDuringTheWindowAreReplayedOnResumeOnceInOrder() {
        core.presence.join("bob", "room");
        Connection first = core.connect("bob", ACKS);
        chan("c1", "room");
        core.closed(first);

        chan("c2", "room");
        chan("c3", "room");
        Connection second = resume(first, 1);

        assertThat(hello(second).resumed()).isTrue();
        assertThat(chanFrames(first)).containsExactly("c1:1");
        assertThat(chanFrames(second)).containsExactly("c2:2", "c3:3");
        chan("c4", "room");
        assertThat(chanFrames(second)).containsExactly("c2:2", "c3:3", "c4:4");
        assertThat(core.hub.members("room")).containsExactly("bob");
    }

    @Test
    void joinsAndLeavesDuringTheWindowDecideWhichChannelFramesAreKept() {
        core.presence.join("bob", "room");
        Connection first = core.connect("bob", ACKS);
        core.closed(first);

        core.receive(MembershipEnvelope.leave("bob", List.of("room")));
        core.receive(MembershipEnvelope.join("bob", List.of("hall")));
        chan("c1", "room");
        chan("c2", "hall");
        assertThat(core.hub.members("room")).isEmpty();
        assertThat(core.hub.members("hall")).containsExactly("bob");
        Connection second = resume(first, 0);

        assertThat(chanFrames(second)).containsExactly("c2:1");
        assertThat(core.hub.members("hall")).containsExactly("bob");
    }

    @Test
    void theEndOfTheWindowLeavesTheChannelsHereAndInTheStore() {
        core.presence.join("bob", "room");
        Connection first = core.connect("bob", ACKS);
        core.closed(first);
        core.timers.advance(Duration.ofSeconds(119));
        assertThat(core.hub.members("room")).containsExactly("bob");
        assertThat(core.presence.channelsOf("bob")).containsExactly("room");

        core.timers.advance(Duration.ofSeconds(1));

        assertThat(core.hub.members("room")).isEmpty();
        assertThat(core.presence.channelsOf("bob")).isEmpty();
        assertThat(core.hub.lingeringCount()).isZero();
        chan("c1", "room");
        Connection later = resume(first, 0);
        assertThat(hello(later).resumed()).isFalse();
        assertThat(chanFrames(later)).isEmpty();
    }

    @Test
    void aClientBackWithinTheGraceMakesNoOfflineOnlinePairAndStaysOnlineMeanwhile() {
        Connection first = core.connect("bob", ACKS);
        core.closed(first);
        core.timers.advance(Duration.ofSeconds(4));
        assertThat(core.presence.online()).as("hasOnline during the grace").containsEntry("bob", 1);

        Connection second = resume(first, 0);
        core.timers.advance(Duration.ofMinutes(3));

        assertThat(hello(second).resumed()).isTrue();
        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect");
        assertThat(core.presence.online()).containsEntry("bob", 1);
    }

    @Test
    void aReconnectWithoutResumeWithinTheGraceMakesNoPairEither() {
        Connection first = core.connect("bob");
        core.closed(first);
        core.connect("bob");
        core.timers.advance(Duration.ofMinutes(3));

        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect");
    }

    @Test
    void afterTheGraceOfflineIsPublishedWithTheCloseReasonAndTheChannelsStayForTheWindow() {
        core.presence.join("bob", "room");
        Connection first = core.connect("bob", ACKS);
        core.closed(first);
        core.timers.advance(Duration.ofSeconds(5));

        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect", "offline:bob:disconnect");
        assertThat(core.presence.online()).doesNotContainKey("bob");
        assertThat(core.hub.members("room")).containsExactly("bob");
        assertThat(core.presence.channelsOf("bob")).containsExactly("room");

        Connection second = resume(first, 0);
        assertThat(hello(second).resumed()).isTrue();
        assertThat(core.presence.eventLog())
                .containsExactly("online:bob:connect", "offline:bob:disconnect", "online:bob:connect");
        assertThat(core.presence.online()).containsEntry("bob", 1);
    }

    @Test
    void aKickPublishesOfflineAtOnceAndLeavesTheChannels() {
        core.presence.join("bob", "room");
        Connection c = core.connect("bob", ACKS);
        core.node.closeClient("bob", CloseCodes.POLICY, "kicked", PresenceEvent.REASON_KICK);
        core.closed(c);

        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect", "offline:bob:kick");
        assertThat(core.hub.members("room")).isEmpty();
        assertThat(core.presence.channelsOf("bob")).isEmpty();
    }

    @Test
    void aKickDuringTheGraceEndsItWithTheOfflineOwed() {
        core.presence.join("bob", "room");
        Connection c = core.connect("bob", ACKS);
        core.closed(c);
        core.node.closeClient("bob", CloseCodes.POLICY, "kicked", PresenceEvent.REASON_KICK);

        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect", "offline:bob:disconnect");
        assertThat(core.hub.members("room")).isEmpty();
        assertThat(core.presence.channelsOf("bob")).isEmpty();
        core.timers.advance(Duration.ofMinutes(3));
        assertThat(core.presence.eventLog()).hasSize(2);
    }

    @Test
    void aWindowShorterThanTheDelayPublishesOfflineWhenItEnds() {
        MemoryNode shortWindow =
                new MemoryNode(new SessionLimits(Duration.ofSeconds(2), 256, 128 * 1024, Duration.ofSeconds(5)));
        Connection c = shortWindow.connect("bob", ACKS);
        shortWindow.closed(c);
        shortWindow.timers.advance(Duration.ofSeconds(2));

        assertThat(shortWindow.presence.eventLog()).containsExactly("online:bob:connect", "offline:bob:disconnect");
        assertThat(shortWindow.presence.online()).isEmpty();
    }

    @Test
    void aStopPublishesTheOfflineOfAClientInItsGrace() {
        Connection c = core.connect("bob", ACKS);
        core.closed(c);
        core.node.shutdown(CloseCodes.GOING_AWAY, "bye");

        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect", "offline:bob:disconnect");
        assertThat(core.presence.online()).isEmpty();
    }

    @Test
    void aRedisRepairDuringTheGraceDoesNotSettleTheClientOffline() {
        Connection c = core.connect("bob", ACKS);
        core.closed(c);
        core.node.reassert(false, false);

        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect");
        core.timers.advance(Duration.ofSeconds(5));
        assertThat(core.presence.eventLog()).containsExactly("online:bob:connect", "offline:bob:disconnect");
    }
}
