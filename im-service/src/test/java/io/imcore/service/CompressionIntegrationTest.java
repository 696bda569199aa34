package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RawWebSocket;
import io.imcore.testkit.TestTerminal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code websocket.compression: true}: a terminal that offers {@code permessage-deflate} gets it, and one that
 * does not still works. (Declined by default: {@link TerminalFramesIntegrationTest}.)
 */
class CompressionIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().override("websocket.compression", "true");

    @Test
    void anOfferOfPermessageDeflateIsAccepted() {
        String url = CLUSTER.client().prevConnectServer(UniqueIds.of("browser"), "");
        try (RawWebSocket socket = RawWebSocket.open(
                url, 0, Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.head().toLowerCase(Locale.ROOT)).contains("sec-websocket-extensions: permessage-deflate");
        }
    }

    @Test
    void aTerminalWithoutCompressionStillGetsItsMessages() {
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = CLUSTER.connect(alice, "")) {
            String id = CLUSTER.client().sendMessage("", List.of(alice), "plain");
            assertThat(terminal.next().path("id").asText()).isEqualTo(id);
        }
    }
}
