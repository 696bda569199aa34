package io.imcore.service.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.ChanEnvelope;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Frame;
import io.imcore.protocol.HelloFrame;
import io.imcore.protocol.KickEnvelope;
import io.imcore.protocol.MembershipEnvelope;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.MsgFrame;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.ReceiptEnvelope;
import io.imcore.service.fakes.MemoryBroker.Published;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client sessions on the core: numbering, kept frames, acks, receipts, resume, window, kick. */
class ClientSessionsTest {
    private static final ResumeRequest ACKS = new ResumeRequest(true, null, 0);
    private final MemoryNode core = new MemoryNode(new SessionLimits(Duration.ofMinutes(2), 4, 64 * 1024));

    private void send(String id, String to, boolean receipt) {
        core.receive(new MsgEnvelope(id, "sender", List.of(to), Codec.toData(id), receipt, 1));
    }

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

    /** "id:seq" of every msg frame the connection got. */
    private static List<String> messages(Connection c) {
        return c.sink().frames().stream()
                .map(ClientSessionsTest::frame)
                .filter(MsgFrame.class::isInstance)
                .map(MsgFrame.class::cast)
                .map(m -> m.id() + ":" + m.seq())
                .toList();
    }

    private List<String> receipts() {
        return core.broker.published().stream()
                .map(Published::payload)
                .map(p -> {
                    try {
                        return Codec.decodeEnvelope(p);
                    } catch (ProtocolException e) {
                        throw new AssertionError(e);
                    }
                })
                .filter(ReceiptEnvelope.class::isInstance)
                .map(ReceiptEnvelope.class::cast)
                .map(r -> r.id() + ":" + r.status().wire())
                .toList();
    }

    private Connection resume(String clientId, HelloFrame hello, long seq) {
        return core.connect(clientId, new ResumeRequest(true, hello.session(), seq));
    }

    @Test
    void framesAreNumberedPerClientWithTheSameNumbersOnEveryConnection() {
        Connection a = core.connect("bob");
        send("m1", "bob", false);
        Connection b = core.connect("bob");
        send("m2", "bob", false);

        assertThat(hello(a).seq()).isZero();
        assertThat(hello(b).seq()).isEqualTo(1);
        assertThat(hello(b).session()).isEqualTo(hello(a).session());
        assertThat(messages(a)).containsExactly("m1:1", "m2:2");
        assertThat(messages(b)).containsExactly("m2:2");
    }

    @Test
    void inAcksModeTheReceiptIsDeliveredOnTheAckNotOnTheWrite() {
        Connection bob = core.connect("bob", ACKS);
        send("m1", "bob", true);
        assertThat(receipts()).isEmpty();
        assertThat(core.node.sessions().keptBytes()).isPositive();

        assertThat(core.node.ack(bob.session(), 1)).isTrue();
        assertThat(core.node.ack(bob.session(), 1)).isTrue();

        assertThat(receipts()).containsExactly("m1:delivered");
        assertThat(core.node.sessions().keptBytes()).isZero();
    }

    @Test
    void withoutAcksReceiptsStayOnWrite() {
        core.connect("bob");
        send("m1", "bob", true);
        assertThat(receipts()).containsExactly("m1:delivered");
        assertThat(core.node.sessions().keptBytes()).isZero();
    }

    @Test
    void anAckBeyondTheLastNumberIsRefusedAndChangesNothing() {
        Connection bob = core.connect("bob", ACKS);
        send("m1", "bob", true);

        assertThat(core.node.ack(bob.session(), 2)).isFalse();

        assertThat(receipts()).isEmpty();
        assertThat(core.node.ack(bob.session(), 1)).isTrue();
        assertThat(receipts()).containsExactly("m1:delivered");
    }

    @Test
    void aResumeReplaysWhatWasMissedInOrderBeforeAnyNewFrame() {
        Connection first = core.connect("bob", ACKS);
        send("m1", "bob", false);
        send("m2", "bob", false);
        core.node.ack(first.session(), 1);
        core.closed(first); // 1006: the connection died
        send("m3", "bob", true);

        Connection again = resume("bob", hello(first), 1);
        send("m4", "bob", false);

        assertThat(hello(again).resumed()).isTrue();
        assertThat(hello(again).seq()).isEqualTo(1);
        assertThat(hello(again).session()).isEqualTo(hello(first).session());
        assertThat(messages(again)).containsExactly("m2:2", "m3:3", "m4:4");
        assertThat(receipts()).isEmpty();
        core.node.ack(again.session(), 4);
        assertThat(receipts()).containsExactly("m3:delivered");
        assertThat(core.registry.counter("im.sessions.resumed").getCount()).isEqualTo(1);
        assertThat(core.registry.meter("im.frames.replayed").getCount()).isEqualTo(2);
    }

    @Test
    void aResumeAcksTheFramesUpToItsNumberOnceAndNoneIsAnsweredOffline() {
        Connection first = core.connect("bob", ACKS);
        send("m1", "bob", true);
        send("m2", "bob", true);
        send("m3", "bob", true);
        core.closed(first); // got all three, acked none, then the connection died

        Connection again = resume("bob", hello(first), 2);

        assertThat(hello(again).resumed()).isTrue();
        assertThat(messages(again)).containsExactly("m3:3");
        assertThat(receipts()).containsExactly("m1:delivered", "m2:delivered");
        core.node.ack(again.session(), 3);
        core.closed(again);
        core.timers.advance(Duration.ofMinutes(2));
        assertThat(receipts()).containsExactly("m1:delivered", "m2:delivered", "m3:delivered");
        assertThat(core.node.sessions().keptBytes()).isZero();
    }

    @Test
    void aResumeAtTheLastNumberAcksEveryKeptFrame() {
        Connection first = core.connect("bob", ACKS);
        send("m1", "bob", true);
        send("m2", "bob", true);
        core.closed(first);

        Connection again = resume("bob", hello(first), 2);

        assertThat(hello(again).resumed()).isTrue();
        assertThat(messages(again)).isEmpty();
        assertThat(receipts()).containsExactly("m1:delivered", "m2:delivered");
        assertThat(core.node.sessions().keptBytes()).isZero();
    }

    @Test
    void aResumeDoesNotAckFramesKeptForAnotherConnectionBeforeItJoined() {
        Connection a = core.connect("bob", ACKS);
        send("m1", "bob", true); // a has it, unacked
        Connection b = core.connect("bob", ACKS); // hello seq 1: never sent m1
        send("m2", "bob", true);
        core.closed(b);

        Connection again = resume("bob", hello(b), 2);

        assertThat(hello(again).resumed()).isTrue();
        assertThat(receipts()).containsExactly("m2:delivered");
        core.node.ack(a.session(), 1);
        assertThat(receipts()).containsExactly("m2:delivered", "m1:delivered");
    }

    @Test
    void aResumeBeforeTheLastNumberOfASessionWithoutKeptFramesIsRefused() {
        Connection first = core.connect("bob"); // acks off: nothing is kept
        send("m1", "bob", false);
        send("m2", "bob", false);
        core.closed(first);

        Connection again =
                core.connect("bob", new ResumeRequest(false, hello(first).session(), 1));

        assertThat(hello(again).resumed()).isFalse();
        assertThat(messages(again)).isEmpty();
        assertThat(core.registry.counter("im.sessions.resume.failed.buffer").getCount())
                .isEqualTo(1);
    }

    @Test
    void aResumePastTheKeptFramesStartsANewSessionAndAnswersTheLostReceiptsOffline() {
        Connection first = core.connect("bob", ACKS);
        core.closed(first);
        for (int i = 1; i <= 6; i++) {
            send("m" + i, "bob", true);
        }
        assertThat(receipts()).containsExactly("m1:offline", "m2:offline");

        Connection again = resume("bob", hello(first), 0);

        assertThat(hello(again).resumed()).isFalse();
        assertThat(hello(again).session()).isNotEqualTo(hello(first).session());
        assertThat(hello(again).seq()).isZero();
        assertThat(messages(again)).isEmpty();
        assertThat(receipts())
                .containsExactly("m1:offline", "m2:offline", "m3:offline", "m4:offline", "m5:offline", "m6:offline");
        assertThat(core.registry.counter("im.sessions.resume.failed.buffer").getCount())
                .isEqualTo(1);
    }

    @Test
    void whenTheWindowRunsOutUnackedReceiptsAreOfflineAndTheSessionIsGone() {
        Connection first = core.connect("bob", ACKS);
        send("m1", "bob", true);
        core.closed(first);
        assertThat(core.node.sessions().inWindow()).isEqualTo(1);

        core.timers.advance(Duration.ofMinutes(2));

        assertThat(receipts()).containsExactly("m1:offline");
        assertThat(core.node.sessions().count()).isZero();
        Connection again = resume("bob", hello(first), 0);
        assertThat(hello(again).resumed()).isFalse();
        assertThat(core.registry.counter("im.sessions.resume.failed.unknown").getCount())
                .isEqualTo(1);
    }

    @Test
    void aMessageToAClientWithoutSessionIsOffline() {
        send("m1", "nobody", true);
        assertThat(receipts()).containsExactly("m1:offline");
    }

    @Test
    void aKickEndsTheSession() {
        Connection first = core.connect("bob", ACKS);
        send("m1", "bob", true);
        core.receive(new KickEnvelope("bob"));
        core.closed(first);

        assertThat(receipts()).containsExactly("m1:offline");
        assertThat(core.node.sessions().count()).isZero();
        assertThat(core.timers.pending()).isZero();
    }

    @Test
    void aKickOfAClientInItsWindowEndsTheSession() {
        Connection first = core.connect("bob", ACKS);
        core.closed(first);
        send("m1", "bob", true);

        core.receive(new KickEnvelope("bob"));

        assertThat(receipts()).containsExactly("m1:offline");
        assertThat(hello(resume("bob", hello(first), 0)).resumed()).isFalse();
    }

    @Test
    void aDrainEndsTheSession() {
        core.connect("bob", ACKS);
        send("m1", "bob", true);

        core.node.closeForShutdown("bob", 1001, "draining");

        assertThat(receipts()).containsExactly("m1:offline");
        assertThat(core.node.sessions().count()).isZero();
    }

    @Test
    void aResumeAheadOfTheSessionIsRefused() {
        Connection first = core.connect("bob", ACKS);
        core.closed(first);
        Connection again = resume("bob", hello(first), 5);
        assertThat(hello(again).resumed()).isFalse();
        assertThat(core.registry.counter("im.sessions.resume.failed.ahead").getCount())
                .isEqualTo(1);
    }

    @Test
    void anAckCoversOnlyFramesItsConnectionWasSent() {
        Connection a = core.connect("bob", ACKS);
        send("m1", "bob", true);
        Connection b = core.connect("bob", ACKS);
        send("m2", "bob", true);

        core.node.ack(b.session(), 2);
        assertThat(receipts()).containsExactly("m2:delivered");
        core.node.ack(a.session(), 2);
        assertThat(receipts()).containsExactly("m2:delivered", "m1:delivered");
    }

    @Test
    void channelMessagesAndBroadcastsAreNumberedAndKeptToo() {
        Connection bob = core.connect("bob", ACKS);
        core.receive(MembershipEnvelope.join("bob", List.of("room")));
        core.receive(new ChanEnvelope("c1", "", "room", Codec.toData("x"), 1));
        core.closed(bob);
        core.delivery.handle(
                MemoryNode.KEYS.broadcast(),
                Codec.encode(new io.imcore.protocol.AllEnvelope("a1", "", Codec.toData("y"), 1)));

        Connection again = resume("bob", hello(bob), 0);

        assertThat(hello(again).resumed()).isTrue();
        List<String> frames = again.sink().frames();
        assertThat(frames.get(1)).contains("\"chan\":\"room\"").endsWith(",\"seq\":1}");
        assertThat(frames.get(2)).contains("\"id\":\"a1\"").endsWith(",\"seq\":2}");
    }
}
