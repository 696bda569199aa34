package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.service.support.NodeCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bench terminals answer the node's pings (Jetty does it for them), so a node closes none as silent, however long a
 * run lasts.
 */
class BenchHeartbeatTest {
    @RegisterExtension
    static final NodeCluster CLUSTER =
            NodeCluster.singleNode().yaml("bench-test-node.yml").override("websocket.heartbeat", "1s");

    @Test
    void terminalsSurviveSeveralSilenceLimits() throws IOException {
        // The node closes a connection silent for 3 heartbeats (3 s here); the run lasts over 4 s of pings.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(
                new String[] {
                    "p2p",
                    "--servers",
                    CLUSTER.entry(0),
                    "--redis",
                    CLUSTER.redisServer().uri(),
                    "--clients",
                    "10",
                    "--settle",
                    "4.5",
                    "--messages",
                    "20",
                    "--warmup",
                    "0",
                    "--max-duration",
                    "60"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        JsonNode results = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(results.path("unexpectedCloses").asLong())
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(results.path("p2p").path("delivered").asLong()).isEqualTo(20);
        assertThat(status).isEqualTo(BenchMain.EXIT_OK);
    }
}
