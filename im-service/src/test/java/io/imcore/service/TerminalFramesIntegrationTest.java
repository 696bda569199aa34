package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RawWebSocket;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a terminal may send (PROTOCOL.md section 3): {@code ping} gets a {@code pong}; anything else gets an
 * {@code error} frame and the connection stays open; a text frame over {@code websocket.maxFrameSize}
 * (1 KiB here) closes it with 1009. A bad frame never disturbs the node's other terminals.
 */
class TerminalFramesIntegrationTest {
    static final int MAX_FRAME = 1024;

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().override("websocket.maxFrameSize", "1KiB");

    private static TestTerminal connect(String clientId) {
        return CLUSTER.connect(clientId, "");
    }

    /** Pings over {@code terminal} and asserts the next frame is the pong: the connection is open and served. */
    private static void assertAnswersPing(TestTerminal terminal) {
        terminal.send("{\"type\":\"ping\"}");
        JsonNode pong = terminal.next();
        assertThat(pong.path("type").asText()).as("frame %s", pong).isEqualTo("pong");
    }

    /** A fresh terminal connects, gets a pong and a message: the node still serves everyone. */
    private static void assertNodeStillServesOthers(TestTerminal bystander, String bystanderId) {
        assertAnswersPing(bystander);
        String id = CLUSTER.client().sendMessage("", List.of(bystanderId), "still served");
        assertThat(bystander.next().path("id").asText()).isEqualTo(id);
        try (TestTerminal newcomer = connect(UniqueIds.of("newcomer"))) {
            assertAnswersPing(newcomer);
        }
    }

    private static JsonNode nextError(TestTerminal terminal) {
        JsonNode error = terminal.next();
        assertThat(error.path("type").asText()).as("frame %s", error).isEqualTo("error");
        assertThat(error.path("v").asInt()).isEqualTo(1);
        assertThat(error.path("message").isTextual()).isTrue();
        return error;
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingTheNodesTime() {
        try (TestTerminal terminal = connect(UniqueIds.of("alice"))) {
            long before = System.currentTimeMillis();
            terminal.send("{\"type\":\"ping\"}");

            JsonNode pong = terminal.next();
            assertThat(pong.path("v").asInt()).isEqualTo(1);
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("ts").isIntegralNumber()).isTrue();
            assertThat(pong.path("ts").asLong()).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void aPingWithVersionAndUnknownFieldsIsAnsweredToo() {
        try (TestTerminal terminal = connect(UniqueIds.of("alice"))) {
            terminal.send("{\"v\":1,\"type\":\"ping\",\"seq\":7}");

            assertThat(terminal.next().path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void everyPingGetsItsOwnPong() {
        try (TestTerminal terminal = connect(UniqueIds.of("alice"))) {
            for (int i = 0; i < 20; i++) {
                terminal.send("{\"type\":\"ping\"}");
            }
            for (int i = 0; i < 20; i++) {
                assertThat(terminal.next().path("type").asText()).isEqualTo("pong");
            }
        }
    }

    @ParameterizedTest(name = "frame {0}")
    @ValueSource(
            strings = {
                "not json",
                "{",
                "{\"type\":\"ping\"",
                "{\"type\":\"ping\"} {}",
                "",
                "[1,2]",
                "\"ping\"",
                "42",
                "null"
            })
    void invalidJsonGetsAnInvalidJsonErrorAndTheConnectionStaysOpen(String frame) {
        String bob = UniqueIds.of("bob");
        try (TestTerminal terminal = connect(UniqueIds.of("alice"));
                TestTerminal bystander = connect(bob)) {
            terminal.send(frame);

            assertThat(nextError(terminal).path("code").asText()).isEqualTo("invalid-json");
            assertAnswersPing(terminal);
            assertNodeStillServesOthers(bystander, bob);
        }
    }

    @ParameterizedTest(name = "frame {0}")
    @ValueSource(
            strings = {
                "{\"type\":\"msg\"}",
                "{\"type\":\"bogus\"}",
                "{\"type\":\"hello\"}",
                "{\"type\":\"pong\",\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"\",\"data\":1,\"ts\":1}",
                "{\"type\":\"chan\",\"id\":\"m1\",\"chan\":\"lobby\",\"from\":\"\",\"data\":1,\"ts\":1}"
            })
    void aFrameOfAnotherTypeGetsAnUnknownTypeErrorAndTheConnectionStaysOpen(String frame) {
        String bob = UniqueIds.of("bob");
        try (TestTerminal terminal = connect(UniqueIds.of("alice"));
                TestTerminal bystander = connect(bob)) {
            terminal.send(frame);

            assertThat(nextError(terminal).path("code").asText()).isEqualTo("unknown-type");
            assertAnswersPing(terminal);
            assertNodeStillServesOthers(bystander, bob);
        }
    }

    @Test
    void aPingOfAnotherProtocolVersionGetsAnErrorAndTheConnectionStaysOpen() {
        try (TestTerminal terminal = connect(UniqueIds.of("alice"))) {
            terminal.send("{\"v\":2,\"type\":\"ping\"}");

            assertThat(nextError(terminal).path("code").asText()).isNotEmpty();
            assertAnswersPing(terminal);
        }
    }

    @Test
    void aBinaryFrameGetsAnUnsupportedErrorAndTheConnectionStaysOpen() {
        String bob = UniqueIds.of("bob");
        try (TestTerminal terminal = connect(UniqueIds.of("alice"));
                TestTerminal bystander = connect(bob)) {
            terminal.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(nextError(terminal).path("code").asText()).isEqualTo("unsupported");
            assertAnswersPing(terminal);
            assertNodeStillServesOthers(bystander, bob);
        }
    }

    @Test
    void aTextFrameOfExactlyTheLimitIsAccepted() {
        try (TestTerminal terminal = connect(UniqueIds.of("alice"))) {
            terminal.send(pingOfSize(MAX_FRAME));

            assertThat(terminal.next().path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aTextFrameOverTheLimitClosesTheConnectionWith1009AndOthersAreStillServed() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client());
                TestTerminal terminal = connect(alice);
                TestTerminal bystander = connect(bob)) {
            terminal.send(pingOfSize(MAX_FRAME + 1));

            assertThat(terminal.awaitCloseCode()).isEqualTo(1009);
            assertThat(events.awaitFirst(PresenceEvent.OFFLINE, alice).reason())
                    .isEqualTo(PresenceEvent.REASON_DISCONNECT);
            assertThat(bystander.isOpen()).isTrue();
            assertNodeStillServesOthers(bystander, bob);
        }
    }

    @Test
    void aMultiByteTextFrameIsMeasuredInBytes() {
        try (TestTerminal terminal = connect(UniqueIds.of("alice"))) {
            // 400 characters, 1200 UTF-8 bytes.
            terminal.send("{\"type\":\"ping\",\"pad\":\"" + "世".repeat(400) + "\"}");

            assertThat(terminal.awaitCloseCode()).isEqualTo(1009);
        }
    }

    /** A raw connection of a new client, past its {@code hello}. */
    private static RawWebSocket rawConnect(String clientId) throws IOException {
        return RawWebSocket.openPastHello(CLUSTER.client().prevConnectServer(clientId, ""));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPingSentInFragmentsIsAnsweredOnceWithAPong() throws IOException {
        try (RawWebSocket socket = rawConnect(UniqueIds.of("alice"))) {
            socket.sendFrame(RawWebSocket.TEXT, utf8("{\"type\""), false);
            socket.sendFrame(RawWebSocket.CONTINUATION, utf8(":\"pi"), false);
            socket.sendFrame(RawWebSocket.CONTINUATION, utf8("ng\"}"), true);
            socket.sendText("{\"type\":\"ping\",\"seq\":2}");

            assertThat(socket.read(Duration.ofSeconds(5)).text()).contains("\"pong\"");
            assertThat(socket.read(Duration.ofSeconds(5)).text()).contains("\"pong\"");
            assertThat(socket.isDroppedByPeer()).isFalse();
        }
    }

    @Test
    void aBinaryMessageInFragmentsGetsOneUnsupportedError() throws IOException {
        try (RawWebSocket socket = rawConnect(UniqueIds.of("alice"))) {
            socket.sendFrame(RawWebSocket.BINARY, new byte[] {1, 2}, false);
            socket.sendFrame(RawWebSocket.CONTINUATION, new byte[] {3}, true);
            socket.sendText("{\"type\":\"ping\"}");

            assertThat(socket.read(Duration.ofSeconds(5)).text()).contains("\"unsupported\"");
            assertThat(socket.read(Duration.ofSeconds(5)).text()).contains("\"pong\"");
        }
    }

    @Test
    void fragmentsTogetherOverTheLimitCloseTheConnectionWith1009() throws IOException {
        try (RawWebSocket socket = rawConnect(UniqueIds.of("alice"))) {
            socket.sendFrame(RawWebSocket.TEXT, utf8("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(600)), false);
            socket.sendFrame(RawWebSocket.CONTINUATION, utf8("x".repeat(600) + "\"}"), true);

            assertThat(socket.drainUntilClose(Duration.ofSeconds(5))).isEqualTo(1009);
        }
    }

    @Test
    void invalidUtf8ClosesTheConnectionWith1007AndOthersAreStillServed() throws IOException {
        String bob = UniqueIds.of("bob");
        try (RawWebSocket socket = rawConnect(UniqueIds.of("alice"));
                TestTerminal bystander = connect(bob)) {
            socket.sendFrame(RawWebSocket.TEXT, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true);

            assertThat(socket.drainUntilClose(Duration.ofSeconds(5))).isEqualTo(1007);
            assertNodeStillServesOthers(bystander, bob);
        }
    }

    @Test
    void anOfferOfPermessageDeflateIsDeclinedByDefault() throws IOException {
        String url = CLUSTER.client().prevConnectServer(UniqueIds.of("browser"), "");
        try (RawWebSocket socket = RawWebSocket.open(
                url, 0, Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.head().toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
            assertThat(socket.read(Duration.ofSeconds(5)).text()).contains("\"hello\"");
        }
    }

    /** A ping frame padded to exactly {@code bytes} UTF-8 bytes. */
    private static String pingOfSize(int bytes) {
        String head = "{\"type\":\"ping\",\"pad\":\"";
        String tail = "\"}";
        String frame = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return frame;
    }
}
