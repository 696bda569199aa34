package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.RawHttp;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RawWebSocket;
import io.imcore.testkit.TestTerminal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits a hostile or broken terminal meets, each configurable (small values here): frames per second
 * per connection (1008), connections per client (HTTP 429), connections per node (HTTP 503 before the
 * upgrade) and the allowed {@code Origin} list (HTTP 403). The frame size limit (1009) is covered by
 * {@link TerminalFramesIntegrationTest}. Refusals are short plain text; a refusal that comes before the token
 * check leaves the token unspent.
 */
class TerminalLimitsIntegrationTest {
    static final String ORIGIN = "https://app.example.com";
    static final int PER_CLIENT = 2;
    static final int PER_NODE = 3;
    static final int FRAMES_PER_SECOND = 10;

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("websocket.maxFramesPerSecond", Integer.toString(FRAMES_PER_SECOND))
            .override("websocket.maxConnectionsPerClient", Integer.toString(PER_CLIENT))
            .override("websocket.maxConnections", Integer.toString(PER_NODE))
            .override("websocket.allowedOrigins", ORIGIN + ",https://other.example.com:8443");

    /** Connections of earlier tests close asynchronously: start from an empty node. */
    @BeforeEach
    void emptyNode() {
        await().atMost(Duration.ofSeconds(10)).until(() -> CLUSTER.admin().gauge("im.connections") == 0);
    }

    private static TestTerminal connect(String clientId) {
        return TestTerminal.connectReady(CLUSTER.client().prevConnectServer(clientId, ""), ORIGIN);
    }

    private static void assertRefusal(HttpResponse<?> response, int status, String reason) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(body(response)).contains(reason);
    }

    @Test
    void aTerminalSendingFasterThanTheFrameRateIsClosedWith1008() {
        String flooder = UniqueIds.of("flooder");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client());
                TestTerminal terminal = connect(flooder)) {
            long closedBefore = CLUSTER.admin().counter("im.connections.closed.1008");
            for (int i = 0; i < 3 * FRAMES_PER_SECOND && terminal.isOpen(); i++) {
                terminal.send("{\"type\":\"ping\"}");
            }

            // the node reads and closes faster than this loop writes: the close handshake can end while the loop
            // still writes, and the terminal then sees its write fail (broken pipe) instead of the close code
            assertThat(terminal.awaitCloseCodeOrFailure()).isIn(CloseCodes.POLICY, -1);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> CLUSTER.admin().counter("im.connections.closed.1008") == closedBefore + 1);
            assertThat(events.awaitFirst(PresenceEvent.OFFLINE, flooder).reason())
                    .isEqualTo(PresenceEvent.REASON_DISCONNECT);
            assertThat(terminal.history())
                    .filteredOn(frame -> frame.contains("\"pong\""))
                    .hasSizeBetween(1, FRAMES_PER_SECOND + 1);
        }
    }

    @Test
    void aTerminalWithinTheFrameRateStaysOpen() throws Exception {
        try (TestTerminal terminal = connect(UniqueIds.of("steady"))) {
            for (int i = 0; i < 2 * FRAMES_PER_SECOND; i++) { // 2 s at half the limit
                terminal.send("{\"type\":\"ping\"}");
                assertThat(terminal.next().path("type").asText()).isEqualTo("pong");
                Thread.sleep(1000 / (FRAMES_PER_SECOND / 2));
            }
            assertThat(terminal.isOpen()).isTrue();
        }
    }

    @Test
    void aConnectionOverTheClientsLimitIsRefusedWith429AndAPlaceFreedIsUsableAgain() {
        String many = UniqueIds.of("many");
        List<TestTerminal> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT; i++) {
                open.add(connect(many));
            }
            String url = CLUSTER.client().prevConnectServer(many, "");
            assertRefusal(
                    RawHttp.refusedUpgrade(url, Map.of("Origin", ORIGIN)), 429, "client has too many connections");
            // the token was spent by the check: the same URL is refused as reused
            assertThat(RawHttp.refusedUpgrade(url, Map.of("Origin", ORIGIN)).statusCode())
                    .isEqualTo(401);

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> CLUSTER.admin().gauge("im.connections") == PER_CLIENT - 1);
            open.add(connect(many));
        } finally {
            open.forEach(TestTerminal::close);
        }
    }

    @Test
    void racingConnectsOfOneClientNeverPassItsLimit() throws Exception {
        String racer = UniqueIds.of("racer");
        int attempts = 8;
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            urls.add(CLUSTER.client().prevConnectServer(racer, ""));
        }
        List<RawWebSocket> sockets = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<CompletableFuture<RawWebSocket>> racing = urls.stream()
                    .map(url -> CompletableFuture.supplyAsync(
                            () -> RawWebSocket.open(url, 0, Map.of("Origin", ORIGIN)), pool))
                    .toList();
            for (CompletableFuture<RawWebSocket> attempt : racing) {
                sockets.add(attempt.get());
            }
            List<RawWebSocket> upgraded =
                    sockets.stream().filter(s -> s.status() == 101).toList();
            assertThat(sockets).allSatisfy(s -> assertThat(s.status()).isIn(101, 429));
            // an upgrade that lost the race for the last place is closed with 1008 right after it
            long kept = upgraded.stream()
                    .filter(s -> {
                        try {
                            RawWebSocket.Frame first = s.read(Duration.ofSeconds(10));
                            if (first != null && first.opcode() == RawWebSocket.CLOSE) {
                                assertThat(first.closeCode()).isEqualTo(CloseCodes.POLICY);
                                return false;
                            }
                            assertThat(first).isNotNull();
                            assertThat(first.text()).contains("\"hello\"");
                            return true;
                        } catch (java.io.IOException e) {
                            throw new AssertionError(e);
                        }
                    })
                    .count();
            assertThat(kept).isEqualTo(PER_CLIENT);
            assertThat(CLUSTER.admin().gauge("im.connections")).isEqualTo(PER_CLIENT);
        } finally {
            sockets.forEach(RawWebSocket::close);
            pool.shutdownNow();
        }
    }

    @Test
    void aConnectionOverTheNodesLimitIsRefusedWith503BeforeTheUpgradeLeavingTheTokenUnspent() {
        List<TestTerminal> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_NODE; i++) {
                open.add(connect(UniqueIds.of("filler")));
            }
            String url = CLUSTER.client().prevConnectServer(UniqueIds.of("late"), "");
            assertRefusal(RawHttp.refusedUpgrade(url, Map.of("Origin", ORIGIN)), 503, "node is full");

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> CLUSTER.admin().gauge("im.connections") == PER_NODE - 1);
            open.add(TestTerminal.connectReady(url, ORIGIN)); // the same token still works
        } finally {
            open.forEach(TestTerminal::close);
        }
    }

    @Test
    void anOriginNotListedOrMissingIsRefusedWith403LeavingTheTokenUnspent() {
        String url = CLUSTER.client().prevConnectServer(UniqueIds.of("page"), "");

        assertRefusal(
                RawHttp.refusedUpgrade(url, Map.of("Origin", "https://evil.example.com")), 403, "origin not allowed");
        assertRefusal(
                RawHttp.refusedUpgrade(url, Map.of("Origin", "https://app.example.com.evil.com")),
                403,
                "origin not allowed");
        assertRefusal(RawHttp.refusedUpgrade(url), 403, "origin not allowed");

        try (TestTerminal terminal = TestTerminal.connectReady(url, "HTTPS://App.Example.com/")) {
            assertThat(terminal.isOpen()).isTrue();
        }
        try (TestTerminal other = TestTerminal.connectReady(
                CLUSTER.client().prevConnectServer(UniqueIds.of("page"), ""), "https://other.example.com:8443")) {
            assertThat(other.isOpen()).isTrue();
        }
    }

    /** The body of a refused upgrade as the JDK client kept it. */
    private static String body(HttpResponse<?> response) {
        Object body = response.body();
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(body);
    }
}
