package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.service.support.RawWebSocket;
import io.imcore.service.support.TestNodes;
import io.imcore.service.support.TestTerminal;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RedisExtension;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code websocket.compression: true}: a terminal that offers {@code permessage-deflate} gets it, and one that
 * does not still works. (Declined by default: {@link TerminalFramesIntegrationTest}.)
 */
class CompressionIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(1);

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE = CLUSTER.node(0, REDIS,
            ConfigOverride.config("websocket.compression", "true"));

    static ImClient client;

    @BeforeAll
    static void client() {
        client = CLUSTER.client(REDIS);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    void anOfferOfPermessageDeflateIsAccepted() {
        String url = client.prevConnectServer(UniqueIds.of("browser"), "");
        try (RawWebSocket socket = RawWebSocket.open(url, 0,
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.head().toLowerCase(Locale.ROOT))
                    .contains("sec-websocket-extensions: permessage-deflate");
        }
    }

    @Test
    void aTerminalWithoutCompressionStillGetsItsMessages() {
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = TestTerminal.connectReady(client.prevConnectServer(alice, ""))) {
            String id = client.sendMessage("", List.of(alice), "plain");
            assertThat(terminal.next().path("id").asText()).isEqualTo(id);
        }
    }
}
