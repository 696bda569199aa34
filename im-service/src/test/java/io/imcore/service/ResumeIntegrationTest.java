package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Keys;
import io.imcore.service.support.Markers;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TcpProxy;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Terminals whose connection dies without a close frame (a proxy that stops forwarding, then resets): sessions,
 * acks and resume of PROTOCOL.md section 3.1 end to end.
 */
class ResumeIntegrationTest {
    private static final Keys KEYS = Keys.withDefaultPrefix();

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("websocket.resume.window", "3s")
            .override("websocket.resume.maxFrames", "8");

    private TcpProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = TcpProxy.to("127.0.0.1", CLUSTER.port(0));
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private TestTerminal viaProxy(String clientId, String extra) {
        return TestTerminal.connect(proxy.rewrite(CLUSTER.client().prevConnectServer(clientId)) + extra);
    }

    private static TestTerminal direct(String clientId, String extra) {
        return TestTerminal.connect(CLUSTER.client().prevConnectServer(clientId) + extra);
    }

    private static JsonNode hello(TestTerminal terminal) {
        JsonNode hello = terminal.next();
        assertThat(hello.path("type").asText()).isEqualTo("hello");
        return hello;
    }

    private static String resumeOf(JsonNode hello, long seq) {
        return "&acks=1&session=" + hello.path("session").asText() + "&seq=" + seq;
    }

    /** Drops the proxied connection without a close: first a silence, then a reset on both sides. */
    private void dropWithoutClose(TestTerminal terminal) {
        proxy.reset();
        terminal.awaitCloseCodeOrFailure();
    }

    @Test
    void framesSentDuringADropArriveOnceInOrderAfterTheResumeAndReceiptsWaitForTheAck() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        String room = UniqueIds.of("room");
        CLUSTER.client().joinChan(bob, room);
        try (TestTerminal sender = CLUSTER.connect(alice, "")) {
            TestTerminal first = viaProxy(bob, "&acks=1");
            JsonNode hello = hello(first);
            assertThat(hello.path("resumed").asBoolean(true)).isFalse();
            String m1 = CLUSTER.client().sendMessage(alice, List.of(bob), "one", true);
            assertThat(first.next("msg").path("seq").asLong()).isEqualTo(1);
            first.send("{\"type\":\"ack\",\"seq\":1}");
            JsonNode receipt1 = sender.next("receipt");
            assertThat(receipt1.path("id").asText()).isEqualTo(m1);
            assertThat(receipt1.path("status").asText()).isEqualTo("delivered");

            proxy.freeze();
            String m2 = CLUSTER.client().sendMessage(alice, List.of(bob), "two", true);
            String c1 = CLUSTER.client().sendChanMessage(alice, room, "in the room");
            String m3 = CLUSTER.client().sendMessage(alice, List.of(bob), "three", true);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender); // written, not acked
            dropWithoutClose(first);

            try (TestTerminal again = direct(bob, resumeOf(hello, 1))) {
                JsonNode resumed = hello(again);
                assertThat(resumed.path("resumed").asBoolean()).isTrue();
                assertThat(resumed.path("seq").asLong()).isEqualTo(1);
                assertThat(resumed.path("session").asText())
                        .isEqualTo(hello.path("session").asText());
                List<String> replay = new ArrayList<>();
                List<Long> numbers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonNode frame = again.next();
                    replay.add(frame.path("id").asText());
                    numbers.add(frame.path("seq").asLong());
                }
                // in their original numbers; the channel message may come before or after m3 (another feed)
                assertThat(numbers).containsExactly(2L, 3L, 4L);
                assertThat(replay).containsExactlyInAnyOrder(m2, c1, m3);
                assertThat(replay.indexOf(m2)).isLessThan(replay.indexOf(m3));
                Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender); // no receipt yet
                again.send("{\"type\":\"ack\",\"seq\":4}");
                assertThat(List.of(
                                sender.next("receipt").path("id").asText(),
                                sender.next("receipt").path("id").asText()))
                        .containsExactly(m2, m3);
                Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender); // once each
            }
        }
    }

    @Test
    void aResumeAcksEveryFrameUpToItsNumberTheirReceiptsDeliveredOnceAndNeverOffline() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        awaitNoSessionInItsWindow(); // an earlier test's window could still answer its own receipts offline
        double offlineBefore = CLUSTER.admin().metric("im.receipts.offline");
        try (TestTerminal sender = CLUSTER.connect(alice, "")) {
            TestTerminal first = viaProxy(bob, "&acks=1");
            JsonNode hello = hello(first);
            String m1 = CLUSTER.client().sendMessage(alice, List.of(bob), "one", true);
            String m2 = CLUSTER.client().sendMessage(alice, List.of(bob), "two", true);
            assertThat(first.next("msg").path("id").asText()).isEqualTo(m1);
            JsonNode second = first.next("msg");
            assertThat(second.path("id").asText()).isEqualTo(m2);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender); // had, not acked
            dropWithoutClose(first);

            TestTerminal again = direct(bob, resumeOf(hello, second.path("seq").asLong()));
            assertThat(hello(again).path("resumed").asBoolean()).isTrue();
            List<String> receipts = List.of(receipt(sender), receipt(sender));
            assertThat(receipts).containsExactlyInAnyOrder(m1 + ":delivered", m2 + ":delivered");
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), bob, again); // nothing replayed

            again.close(); // its window starts; when it ends, nothing is left to answer offline
            awaitCloseHandled(bob);
            awaitNoSessionInItsWindow();
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender); // once each
            assertThat(CLUSTER.admin().metric("im.receipts.offline")).isEqualTo(offlineBefore);
        }
    }

    private static String receipt(TestTerminal sender) {
        JsonNode receipt = sender.next("receipt");
        return receipt.path("id").asText() + ":" + receipt.path("status").asText();
    }

    private static void awaitNoSessionInItsWindow() {
        await("every resume window to end")
                .atMost(Duration.ofSeconds(30))
                .until(() -> CLUSTER.admin().gauge("im.sessions.window") == 0);
    }

    /** Waits until the node handled the last close of {@code clientId} (offline at once in the tests' config). */
    private static void awaitCloseHandled(String clientId) {
        await("the node to handle the close")
                .atMost(Duration.ofSeconds(10))
                .until(() -> CLUSTER.redis().hget(KEYS.nodeOnline(CLUSTER.entry(0)), clientId) == null);
    }

    private static List<String> nextFrames(TestTerminal terminal, int count) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode frame = terminal.next();
            frames.add(frame.path("type").asText() + ":" + frame.path("id").asText() + ":"
                    + frame.path("seq").asLong());
        }
        return frames;
    }

    @Test
    void channelMessagesSentAfterACleanCloseArriveOnceInOrderAfterTheResume() {
        String bob = UniqueIds.of("bob");
        String room = UniqueIds.of("room");
        CLUSTER.client().joinChan(bob, room);
        TestTerminal first = viaProxy(bob, "&acks=1");
        JsonNode hello = hello(first);
        String c1 = CLUSTER.client().sendChanMessage("", room, "before");
        assertThat(first.next("chan").path("seq").asLong()).isEqualTo(1);
        first.send("{\"type\":\"ack\",\"seq\":1}");
        first.close();
        awaitCloseHandled(bob);

        String c2 = CLUSTER.client().sendChanMessage("", room, "during one");
        String c3 = CLUSTER.client().sendChanMessage("", room, "during two");
        String c4 = CLUSTER.client().sendChanMessage("", room, "during three");
        try (TestTerminal again = viaProxy(bob, resumeOf(hello, 1))) {
            assertThat(hello(again).path("resumed").asBoolean()).isTrue();
            assertThat(nextFrames(again, 3))
                    .containsExactly("chan:" + c2 + ":2", "chan:" + c3 + ":3", "chan:" + c4 + ":4");
            String c5 = CLUSTER.client().sendChanMessage("", room, "after");
            assertThat(nextFrames(again, 1)).containsExactly("chan:" + c5 + ":5");
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), bob, again);
        }
        assertThat(c1).isNotBlank();
    }

    @Test
    void channelMessagesSentAfterTheNodeSawAResetArriveAfterTheResume() {
        String bob = UniqueIds.of("bob");
        String room = UniqueIds.of("room");
        CLUSTER.client().joinChan(bob, room);
        TestTerminal first = viaProxy(bob, "&acks=1");
        JsonNode hello = hello(first);
        dropWithoutClose(first);
        awaitCloseHandled(bob);

        String c1 = CLUSTER.client().sendChanMessage("", room, "one");
        String c2 = CLUSTER.client().sendChanMessage("", room, "two");
        try (TestTerminal again = viaProxy(bob, resumeOf(hello, 0))) {
            assertThat(hello(again).path("resumed").asBoolean()).isTrue();
            assertThat(nextFrames(again, 2)).containsExactly("chan:" + c1 + ":1", "chan:" + c2 + ":2");
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), bob, again);
        }
    }

    @Test
    void receiptsAreDeliveredOnlyOnTheAckExactlyOnce() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal sender = CLUSTER.connect(alice, "");
                TestTerminal receiver = direct(bob, "&acks=1")) {
            hello(receiver);
            String m1 = CLUSTER.client().sendMessage(alice, List.of(bob), "one", true);
            String m2 = CLUSTER.client().sendMessage(alice, List.of(bob), "two", true);
            receiver.next("msg");
            assertThat(receiver.next("msg").path("seq").asLong()).isEqualTo(2);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender);

            receiver.send("{\"type\":\"ack\",\"seq\":2}");
            receiver.send("{\"type\":\"ack\",\"seq\":2}");

            List<String> receipts = List.of(
                    sender.next("receipt").path("id").asText() + ":delivered",
                    sender.next("receipt").path("id").asText() + ":delivered");
            assertThat(receipts).containsExactlyInAnyOrder(m1 + ":delivered", m2 + ":delivered");
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), alice, sender);
        }
    }

    @Test
    void anAckBeyondTheLastNumberGetsAnErrorAndTheConnectionStays() {
        try (TestTerminal receiver = direct(UniqueIds.of("bob"), "&acks=1")) {
            hello(receiver);
            receiver.send("{\"type\":\"ack\",\"seq\":7}");
            JsonNode error = receiver.next();
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid-ack");
            receiver.send("{\"type\":\"ping\"}");
            assertThat(receiver.next().path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aResumeAfterTheWindowGetsResumedFalseAndTheSenderOffline() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal sender = CLUSTER.connect(alice, "")) {
            TestTerminal first = viaProxy(bob, "&acks=1");
            JsonNode hello = hello(first);
            proxy.freeze();
            String m1 = CLUSTER.client().sendMessage(alice, List.of(bob), "one", true);
            dropWithoutClose(first);

            JsonNode receipt = sender.next("receipt"); // when the 3 s window ran out
            assertThat(receipt.path("id").asText()).isEqualTo(m1);
            assertThat(receipt.path("status").asText()).isEqualTo("offline");

            try (TestTerminal again = direct(bob, resumeOf(hello, 0))) {
                JsonNode next = hello(again);
                assertThat(next.path("resumed").asBoolean(true)).isFalse();
                assertThat(next.path("session").asText())
                        .isNotEqualTo(hello.path("session").asText());
                assertThat(next.path("seq").asLong()).isZero();
            }
        }
    }

    @Test
    void aResumePastTheKeptFramesGetsResumedFalse() {
        String bob = UniqueIds.of("bob");
        TestTerminal first = viaProxy(bob, "&acks=1");
        JsonNode hello = hello(first);
        proxy.freeze();
        for (int i = 0; i < 10; i++) {
            CLUSTER.client().sendMessage("", List.of(bob), "n" + i);
        }
        dropWithoutClose(first);

        try (TestTerminal again = direct(bob, resumeOf(hello, 0))) {
            assertThat(hello(again).path("resumed").asBoolean(true)).isFalse();
        }
    }

    @Test
    void aConnectionOfAClientWithSeveralResumesWithTheSameNumbers() {
        String bob = UniqueIds.of("bob");
        try (TestTerminal stays = direct(bob, "&acks=1")) {
            hello(stays);
            TestTerminal drops = viaProxy(bob, "&acks=1");
            JsonNode hello = hello(drops);
            proxy.freeze();
            String m1 = CLUSTER.client().sendMessage("", List.of(bob), "one");
            JsonNode got = stays.next("msg");
            assertThat(got.path("id").asText()).isEqualTo(m1);
            dropWithoutClose(drops);

            try (TestTerminal again =
                    direct(bob, resumeOf(hello, hello.path("seq").asLong()))) {
                assertThat(hello(again).path("resumed").asBoolean()).isTrue();
                JsonNode replayed = again.next();
                assertThat(replayed.path("id").asText()).isEqualTo(m1);
                assertThat(replayed.path("seq").asLong())
                        .isEqualTo(got.path("seq").asLong());
            }
        }
    }

    @Test
    void aKickEndsTheSession() {
        String bob = UniqueIds.of("bob");
        TestTerminal first = direct(bob, "&acks=1");
        JsonNode hello = hello(first);
        CLUSTER.client().forceOffline(bob);
        assertThat(first.awaitCloseCode()).isEqualTo(1008);

        try (TestTerminal again = direct(bob, resumeOf(hello, 0))) {
            assertThat(hello(again).path("resumed").asBoolean(true)).isFalse();
        }
    }
}
