package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.CloseCodes;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RawWebSocket;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The heartbeat with {@code websocket.heartbeat: 1s}: every connection gets a WebSocket ping once per period
 * (the node spreads the pings over the period), one that answers stays open, and one silent for more than
 * 3 periods is closed with 1000.
 */
class HeartbeatIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER =
            NodeCluster.singleNode().override("websocket.heartbeat", "1s").override("websocket.closeTimeout", "1s");

    /** A raw connection of a new client, past its {@code hello}. */
    private static RawWebSocket rawConnect(String clientId) throws IOException {
        return RawWebSocket.openPastHello(CLUSTER.client().prevConnectServer(clientId, ""));
    }

    @Test
    void everyConnectionIsPingedOncePerPeriodAndASilentOneIsClosedAfterThreePeriods() throws IOException {
        List<RawWebSocket> sockets = new ArrayList<>();
        AdminPort admin = CLUSTER.admin();
        double normalBefore = admin.metric("im.connections.closed.1000");
        double goingAwayBefore = admin.metric("im.connections.closed.1001");
        try {
            for (int i = 0; i < 5; i++) {
                sockets.add(rawConnect(UniqueIds.of("silent")));
            }
            long opened = System.nanoTime();
            for (RawWebSocket socket : sockets) {
                RawWebSocket.Frame frame = socket.read(Duration.ofSeconds(3));
                assertThat(frame.opcode()).as("the first frame after hello").isEqualTo(RawWebSocket.PING);
            }
            for (RawWebSocket socket : sockets) {
                assertThat(socket.drainUntilClose(Duration.ofSeconds(3))).isEqualTo(CloseCodes.NORMAL);
            }
            long closedAfterMillis = (System.nanoTime() - opened) / 1_000_000;
            assertThat(closedAfterMillis)
                    .as("closed after 3 silent periods, not before")
                    .isBetween(2_500L, 10_000L);
            // the sockets never answer the close: Jetty drops them after websocket.closeTimeout and reports its
            // own 1001 "Connection Idle Timeout", but the metric counts the code the node closed them with
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(admin.metric("im.connections.closed.1000") - normalBefore)
                            .isGreaterThanOrEqualTo(5));
            assertThat(admin.metric("im.connections.closed.1001")).isEqualTo(goingAwayBefore);
        } finally {
            sockets.forEach(RawWebSocket::close);
        }
    }

    @Test
    void aTerminalThatAnswersPingsStaysOpen() {
        try (TestTerminal terminal = CLUSTER.connect(UniqueIds.of("alive"), "")) {
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(terminal::isOpen);
        }
    }
}
