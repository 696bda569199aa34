package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.service.ImServiceApplication;
import io.imcore.service.ImServiceConfiguration;
import io.imcore.testkit.RedisExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bench terminals answer the node's pings (Jetty does it for them), so a node closes none as silent, however long a
 * run lasts.
 */
class BenchHeartbeatTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final int PORT = freePort();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE = new DropwizardAppExtension<>(
            ImServiceApplication.class, ResourceHelpers.resourceFilePath("bench-test-node.yml"),
            ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(PORT)),
            ConfigOverride.config("cluster.servers", "127.0.0.1:" + PORT),
            ConfigOverride.config("cluster.self", "127.0.0.1:" + PORT),
            ConfigOverride.config("websocket.heartbeat", "1s"),
            ConfigOverride.config("redis.uri", REDIS::uri));

    @Test
    void terminalsSurviveSeveralSilenceLimits() throws IOException {
        // The node closes a connection silent for 3 heartbeats (3 s here); the run lasts over 4 s of pings.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(new String[] {"p2p", "--servers", "127.0.0.1:" + PORT, "--redis", REDIS.uri(),
            "--clients", "10", "--settle", "4.5", "--messages", "20", "--warmup", "0", "--max-duration", "60"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        JsonNode results = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(results.path("unexpectedCloses").asLong()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(results.path("p2p").path("delivered").asLong()).isEqualTo(20);
        assertThat(status).isEqualTo(BenchMain.EXIT_OK);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
