package io.imcore.service.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import io.imcore.protocol.KickEnvelope;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import io.imcore.service.fakes.MemoryBroker.Published;
import io.imcore.service.fakes.MemoryNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An inbox envelope for a client connected on another node goes there once, marked fwd; never further. */
class ForwardingTest {
    private final MemoryNode core = new MemoryNode();

    @BeforeEach
    void bothNodesAlive() {
        long now = System.currentTimeMillis();
        core.cluster
                .view()
                .update(
                        Map.of(
                                MemoryNode.SELF,
                                        new NodeLease(
                                                now,
                                                now,
                                                0,
                                                Rendezvous.NAME,
                                                core.cluster.view().allowHash(),
                                                false),
                                MemoryNode.OTHER,
                                        new NodeLease(
                                                now,
                                                now,
                                                0,
                                                Rendezvous.NAME,
                                                core.cluster.view().allowHash(),
                                                false)),
                        now);
    }

    private static JsonNode json(String payload) {
        try {
            return Codec.mapper().readTree(payload);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Published> on(String entry) {
        return core.broker.published().stream()
                .filter(p -> p.channel().equals(MemoryNode.KEYS.inbox(entry)))
                .toList();
    }

    private static MsgEnvelope message(List<String> to) {
        return new MsgEnvelope("m1", "sender", to, Codec.toData("hi"), true, System.currentTimeMillis());
    }

    @Test
    void aMessageForAClientConnectedElsewhereIsForwardedOnceWithItsReceiversThere() {
        core.presence.setConnectionsOn(MemoryNode.OTHER, "bob", 1);
        MemoryNode.Connection alice = core.connect("alice");

        core.receive(message(List.of("alice", "bob", "carol")));

        List<Published> forwarded = on(MemoryNode.OTHER).stream()
                .filter(p -> json(p.payload()).path("type").asText().equals("msg"))
                .toList();
        assertThat(forwarded).hasSize(1);
        JsonNode copy = json(forwarded.get(0).payload());
        assertThat(copy.path("fwd").asBoolean()).isTrue();
        assertThat(copy.path("id").asText()).isEqualTo("m1");
        assertThat(copy.path("to")).extracting(JsonNode::asText).containsExactly("bob");
        assertThat(alice.sink().frames()).hasSize(2); // hello + the message
        assertThat(core.registry.counter("im.envelopes.forwarded").getCount()).isEqualTo(1);
        // carol is nowhere: offline receipt; bob's receipt comes from the node that holds him
        List<String> receipts = core.broker.published().stream()
                .map(p -> json(p.payload()))
                .filter(e -> e.path("type").asText().equals("receipt"))
                .map(e -> e.path("from").asText() + ":" + e.path("status").asText())
                .toList();
        assertThat(receipts).containsExactlyInAnyOrder("alice:delivered", "carol:offline");
    }

    @Test
    void aForwardedEnvelopeIsNeverForwardedAgain() {
        core.presence.setConnectionsOn(MemoryNode.OTHER, "bob", 1);
        String forwarded = "{\"v\":1,\"type\":\"msg\",\"id\":\"m2\",\"from\":\"sender\",\"to\":[\"bob\"],"
                + "\"data\":\"hi\",\"receipt\":true,\"ts\":1,\"fwd\":true}";

        core.delivery.handle(MemoryNode.KEYS.inbox(MemoryNode.SELF), forwarded);

        assertThat(core.broker.published())
                .extracting(p -> json(p.payload()).path("type").asText())
                .containsExactly("receipt");
        assertThat(json(core.broker.published().get(0).payload()).path("status").asText())
                .isEqualTo("offline");
    }

    @Test
    void aKickForAClientConnectedElsewhereGoesThere() {
        core.presence.setConnectionsOn(MemoryNode.OTHER, "bob", 2);

        core.receive(new KickEnvelope("bob"));

        assertThat(on(MemoryNode.OTHER))
                .singleElement()
                .satisfies(p ->
                        assertThat(json(p.payload()).path("fwd").asBoolean()).isTrue());
    }

    @Test
    void withoutAnotherAliveNodeNothingIsForwarded() {
        core.cluster.view().update(Map.of(), System.currentTimeMillis());
        core.presence.setConnectionsOn(MemoryNode.OTHER, "bob", 1);

        core.receive(message(List.of("bob")));

        assertThat(on(MemoryNode.OTHER))
                .extracting(p -> json(p.payload()).path("type").asText())
                .containsOnly("receipt");
    }
}
