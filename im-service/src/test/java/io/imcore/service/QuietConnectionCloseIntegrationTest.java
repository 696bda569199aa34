package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.client.ImClient;
import io.imcore.protocol.CloseCodes;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RawWebSocket;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A close the node starts on a connection that has been quiet for longer than {@code websocket.closeTimeout}
 * (nothing read or written: a terminal idle between two pings) reaches the terminal with the node's code. The
 * node cuts Jetty's idle timeout to the close timeout when it closes; cut before the close frame was written,
 * Jetty found the quiet connection expired at once and closed it with its own 1001 "Connection Idle Timeout",
 * so a kicked terminal saw 1001 (and imcore.js reconnected) instead of 1008.
 */
class QuietConnectionCloseIntegrationTest {
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("websocket.heartbeat", "25s")
            .override("websocket.closeTimeout", CLOSE_TIMEOUT.toMillis() + "ms");

    @Test
    void aKickOfATerminalQuietForLongerThanTheCloseTimeoutReachesItAs1008() throws IOException {
        String clientId = UniqueIds.of("quiet");
        ImClient client = CLUSTER.client();
        AdminPort admin = CLUSTER.admin();
        double kicksBefore = admin.metric("im.connections.closed.1008");
        try (RawWebSocket socket = RawWebSocket.openPastHello(client.prevConnectServer(clientId, ""))) {
            // nothing read or written for 4 close timeouts (the first ping comes within 25 s)
            await().during(CLOSE_TIMEOUT.multipliedBy(4))
                    .atMost(CLOSE_TIMEOUT.multipliedBy(8))
                    .until(() -> client.hasOnline(clientId));

            client.forceOffline(clientId);

            assertThat(socket.drainUntilClose(Duration.ofSeconds(5))).isEqualTo(CloseCodes.POLICY);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(admin.metric("im.connections.closed.1008") - kicksBefore)
                            .isEqualTo(1));
        }
    }
}
