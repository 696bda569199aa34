package io.imcore.service.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imcore.protocol.ChanEnvelope;
import io.imcore.protocol.ChanFrame;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.KickEnvelope;
import io.imcore.protocol.MembershipEnvelope;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.MsgFrame;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.ReceiptEnvelope;
import io.imcore.protocol.ReceiptStatus;
import io.imcore.service.fakes.MemoryBroker.Published;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import io.imcore.service.fakes.RecordingSink;
import io.imcore.service.fakes.RecordingSink.Writes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Envelopes from the node's inbox: who gets a frame, which receipt goes back, what a kick closes. */
class DeliveryTest {
    private final MemoryNode core = new MemoryNode();

    private static MsgEnvelope message(String id, List<String> to, boolean receipt) {
        return new MsgEnvelope(id, "sender", to, Codec.toData("hi"), receipt, System.currentTimeMillis());
    }

    private List<ReceiptEnvelope> receipts() {
        return core.broker.published().stream()
                .map(DeliveryTest::decode)
                .filter(ReceiptEnvelope.class::isInstance)
                .map(ReceiptEnvelope.class::cast)
                .toList();
    }

    private static Envelope decode(Published published) {
        try {
            return Codec.decodeEnvelope(published.payload());
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> messageIds(RecordingSink sink) {
        return sink.frames().stream()
                .skip(1)
                .map(text -> {
                    try {
                        return Codec.decodeFrame(text) instanceof MsgFrame msg ? msg.id() : "?";
                    } catch (ProtocolException e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    @Test
    void aMessageIsWrittenToEveryConnectionOfEachReceiver() {
        Connection alice1 = core.connect("alice");
        Connection alice2 = core.connect("alice");
        Connection bob = core.connect("bob");

        core.receive(message("m1", List.of("alice", "bob"), false));

        assertThat(messageIds(alice1.sink())).containsExactly("m1");
        assertThat(messageIds(alice2.sink())).containsExactly("m1");
        assertThat(messageIds(bob.sink())).containsExactly("m1");
        assertThat(core.broker.published()).as("no receipt asked for").isEmpty();
    }

    @Test
    void aReceiverWithoutConnectionsHereGetsAnOfflineReceiptToTheSendersNodeInbox() {
        core.receive(message("m1", List.of("alice"), true));

        assertThat(receipts()).singleElement().satisfies(receipt -> {
            assertThat(receipt.id()).isEqualTo("m1");
            assertThat(receipt.from()).isEqualTo("alice");
            assertThat(receipt.to()).isEqualTo("sender");
            assertThat(receipt.status()).isEqualTo(ReceiptStatus.OFFLINE);
        });
        assertThat(core.broker.published())
                .singleElement()
                .extracting(Published::channel)
                .isEqualTo(MemoryNode.KEYS.inbox(core.cluster.servers().entryFor("sender")));
    }

    @Test
    void oneWrittenConnectionOfSeveralMakesTheReceiptDelivered() {
        core.connect("alice", new RecordingSink(Writes.FAIL));
        core.connect("alice", new RecordingSink(Writes.COMPLETE));
        core.connect("alice", new RecordingSink(Writes.FAIL));

        core.receive(message("m1", List.of("alice"), true));

        assertThat(receipts())
                .singleElement()
                .extracting(ReceiptEnvelope::status)
                .isEqualTo(ReceiptStatus.DELIVERED);
    }

    @Test
    void everyConnectionWritingTheFrameStillMakesOneReceipt() {
        core.connect("alice");
        core.connect("alice");

        core.receive(message("m1", List.of("alice"), true));

        assertThat(receipts()).hasSize(1);
    }

    @Test
    void theReceiptIsOfflineOnlyOnceTheWriteFailedOnEveryConnection() {
        RecordingSink held = new RecordingSink(Writes.HOLD);
        core.connect("alice", new RecordingSink(Writes.FAIL));
        core.connect("alice", held);

        core.receive(message("m1", List.of("alice"), true));
        assertThat(receipts()).as("one write still open").isEmpty();
        held.failHeld();

        assertThat(receipts())
                .singleElement()
                .extracting(ReceiptEnvelope::status)
                .isEqualTo(ReceiptStatus.OFFLINE);
    }

    @Test
    void theReceiptWaitsForTheSocketAndFollowsTheWrite() {
        RecordingSink held = new RecordingSink(Writes.HOLD);
        core.connect("alice", held);

        core.receive(message("m1", List.of("alice"), true));
        assertThat(receipts()).isEmpty();
        held.completeHeld();

        assertThat(receipts())
                .singleElement()
                .extracting(ReceiptEnvelope::status)
                .isEqualTo(ReceiptStatus.DELIVERED);
    }

    @Test
    void eachReceiverOfOneMessageGetsAReceiptOfItsOwn() {
        core.connect("alice");

        core.receive(message("m1", List.of("alice", "bob"), true));

        assertThat(receipts())
                .extracting(ReceiptEnvelope::from, ReceiptEnvelope::status)
                .containsExactlyInAnyOrder(
                        tuple("alice", ReceiptStatus.DELIVERED), tuple("bob", ReceiptStatus.OFFLINE));
    }

    @Test
    void aMessageWithoutASenderNeverAsksForAReceipt() {
        core.receive(new MsgEnvelope("m1", "", List.of("alice"), Codec.toData("hi"), true, System.currentTimeMillis()));

        assertThat(core.broker.published()).isEmpty();
    }

    @Test
    void aChannelMessageReachesTheLocalMembersAsTheyStandWhenItArrives() throws Exception {
        Connection alice = core.connect("alice");
        Connection bob = core.connect("bob");
        core.receive(MembershipEnvelope.join("alice", List.of("room")));

        core.receive(new ChanEnvelope("c1", "sender", "room", Codec.toData("hi"), System.currentTimeMillis()));
        core.receive(MembershipEnvelope.leave("alice", List.of("room")));
        core.receive(MembershipEnvelope.join("bob", List.of("room")));
        core.receive(new ChanEnvelope("c2", "sender", "room", Codec.toData("hi"), System.currentTimeMillis()));

        assertThat(alice.sink().frames()).hasSize(2);
        assertThat(((ChanFrame) Codec.decodeFrame(alice.sink().frames().get(1))).id())
                .isEqualTo("c1");
        assertThat(bob.sink().frames()).hasSize(2);
        assertThat(((ChanFrame) Codec.decodeFrame(bob.sink().frames().get(1))).id())
                .isEqualTo("c2");
    }

    @Test
    void aMembershipOfAClientWithoutConnectionsHereIsIgnored() {
        core.receive(MembershipEnvelope.join("alice", List.of("room")));

        assertThat(core.hub.members("room")).isEmpty();
        assertThat(core.hub.contains("alice")).isFalse();
    }

    @Test
    void aKickClosesEveryConnectionOfTheClientWith1008AndItsOfflineSaysKick() {
        Connection alice1 = core.connect("alice");
        Connection alice2 = core.connect("alice");
        Connection bob = core.connect("bob");

        core.receive(new KickEnvelope("alice"));
        core.closed(alice1);
        core.closed(alice2);

        assertThat(alice1.sink().closeCode()).isEqualTo(CloseCodes.POLICY);
        assertThat(alice2.sink().closeCode()).isEqualTo(CloseCodes.POLICY);
        assertThat(bob.sink().closeCode()).isZero();
        assertThat(core.presence.eventLog()).endsWith("offline:alice:kick");
    }

    @Test
    void anInvalidEnvelopeIsCountedAndChangesNothing() {
        Connection alice = core.connect("alice");

        core.delivery.handle(MemoryNode.KEYS.inbox(MemoryNode.SELF), "{\"type\":\"msg\"}");

        assertThat(core.registry.counter("im.envelopes.invalid").getCount()).isEqualTo(1);
        assertThat(alice.sink().frames()).hasSize(1);
    }

    @Test
    void aSecondCopyOfAReceiptIsDroppedAndCounted() {
        Connection sender = core.connect("sender");
        ReceiptEnvelope receipt = new ReceiptEnvelope("m1", "alice", "sender", ReceiptStatus.DELIVERED, 1);

        core.receive(receipt);
        core.receive(receipt); // a publisher retried an XADD whose answer it lost
        core.receive(new ReceiptEnvelope("m1", "bob", "sender", ReceiptStatus.OFFLINE, 2));

        assertThat(sender.sink().frames()).as("hello and two receipts").hasSize(3);
        assertThat(core.registry.counter("im.receipts.duplicate").getCount()).isEqualTo(1);
    }

    @Test
    void theFastAndTheGeneralPathWriteTheSameFrame() {
        Connection alice = core.connect("alice");
        String compact = "{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"bob\",\"to\":[\"alice\"],"
                + "\"data\":{\"t\":\"h\u00e9llo \\\"q\\\" \ud83c\udf89\",\"n\":[1,2.50,null]},\"receipt\":false,\"ts\":17}";
        String spaced = compact.replace("\"n\":[1,", "\"n\": [ 1 ,"); // not compact: the general path takes it

        core.delivery.handle(MemoryNode.KEYS.inbox(MemoryNode.SELF), compact);
        core.delivery.handle(MemoryNode.KEYS.inbox(MemoryNode.SELF), spaced);

        List<String> frames = alice.sink().frames();
        assertThat(frames).hasSize(3);
        assertThat(frames.get(1))
                .isEqualTo("{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"bob\",\"data\":{\"t\":\"h\u00e9llo "
                        + "\\\"q\\\" \ud83c\udf89\",\"n\":[1,2.50,null]},\"ts\":17,\"seq\":1}");
        assertThat(frames.get(2)).isEqualTo(frames.get(1).replace("\"seq\":1}", "\"seq\":2}"));
        assertThat(core.registry.counter("im.envelopes.invalid").getCount()).isZero();
    }

    @Test
    void anEntryWithoutTheFieldEIsCountedInvalid() {
        core.delivery.handle(MemoryNode.KEYS.inbox(MemoryNode.SELF), null);

        assertThat(core.registry.counter("im.envelopes.invalid").getCount()).isEqualTo(1);
    }
}
