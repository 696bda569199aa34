package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.NodeCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A small run of every scenario against a real two-node cluster on a real Redis: every message must be
 * accounted for. The figures themselves are not asserted; they depend on the machine.
 */
class BenchEndToEndTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2).yaml("bench-test-node.yml");

    @Test
    void allScenarioAccountsForEveryMessageWithZeroLoss() throws IOException {
        Run run = bench(
                "all",
                "--clients",
                "60",
                "--messages",
                "400",
                "--warmup",
                "50",
                "--rate",
                "2000",
                "--fanout-messages",
                "4",
                "--fanout-rate",
                "20",
                "--settle",
                "0.2",
                "--drain",
                "10");

        assertThat(run.status).as(run.err).isEqualTo(BenchMain.EXIT_OK);
        JsonNode results = run.json;
        assertThat(results.path("zeroLoss").asBoolean()).as(run.err).isTrue();
        assertThat(results.path("connect").path("connected").asInt()).isEqualTo(60);
        assertThat(results.path("connect").path("handshakeMillis").path("count").asInt())
                .isEqualTo(60);
        assertThat(results.path("connect").path("nodeRssPerConnectionKiB").isNumber())
                .isTrue();

        JsonNode p2p = results.path("p2p");
        assertThat(p2p.path("published").asLong()).isEqualTo(400);
        assertThat(p2p.path("delivered").asLong()).isEqualTo(400);
        assertThat(p2p.path("missing").asLong()).isZero();
        assertThat(p2p.path("duplicated").asLong()).isZero();
        assertThat(p2p.path("wrongClient").asLong()).isZero();
        assertThat(p2p.path("latencyMillis").path("count").asLong()).isEqualTo(400);
        assertThat(p2p.path("nodeCpuMicrosPerDelivery").isNumber()).isTrue();
        assertThat(p2p.path("deliveredRate").asDouble()).isPositive();
        assertThat(results.path("p2pWarmup").path("delivered").asLong()).isEqualTo(50);

        JsonNode fanout = results.path("fanout");
        assertThat(fanout.path("expectedDeliveries").asLong()).isEqualTo(4 * 60);
        assertThat(fanout.path("delivered").asLong()).isEqualTo(4 * 60);
        assertThat(fanout.path("missing").asLong()).isZero();
        assertThat(fanout.path("duplicated").asLong()).isZero();
        assertThat(fanout.path("reachEveryMemberMillis").path("count").asLong()).isEqualTo(4);

        assertThat(results.path("otherFrames").asLong()).isZero();
        assertThat(results.path("unexpectedCloses").asLong()).isZero();
        assertThat(run.err).contains("result: zero loss");
    }

    @Test
    void p2pFlatOutWithAsyncSendsAccountsForEveryMessage() throws IOException {
        Run run = bench(
                "p2p",
                "--clients",
                "40",
                "--messages",
                "2000",
                "--warmup",
                "0",
                "--rate",
                "0",
                "--async",
                "64",
                "--settle",
                "0.2",
                "--drain",
                "10");

        assertThat(run.status).as(run.err).isEqualTo(BenchMain.EXIT_OK);
        JsonNode p2p = run.json.path("p2p");
        assertThat(p2p.path("published").asLong()).isEqualTo(2000);
        assertThat(p2p.path("publishErrors").asLong()).isZero();
        assertThat(p2p.path("delivered").asLong()).isEqualTo(2000);
        assertThat(p2p.path("missing").asLong()).isZero();
        assertThat(p2p.path("duplicated").asLong()).isZero();
        assertThat(p2p.path("deliveredRate").asDouble()).isPositive();
        assertThat(run.json.path("options").path("async").asInt()).isEqualTo(64);
    }

    @Test
    void resumeScenarioDropsAndResumesTerminalsWithZeroLoss() throws IOException {
        Run run = bench(
                "resume",
                "--clients",
                "40",
                "--rate",
                "200",
                "--fanout-rate",
                "5",
                "--resume-seconds",
                "4",
                "--drop-fraction",
                "0.25",
                "--drop-every",
                "1",
                "--drop-pause",
                "0.3",
                "--drain",
                "20");

        assertThat(run.status).as(run.err).isEqualTo(BenchMain.EXIT_OK);
        JsonNode resume = run.json.path("resume");
        assertThat(run.json.path("zeroLoss").asBoolean()).as(run.err).isTrue();
        assertThat(resume.path("drops").asLong()).as(run.err).isPositive();
        assertThat(resume.path("resumesOk").asLong())
                .isEqualTo(resume.path("drops").asLong());
        assertThat(resume.path("resumesFailed").asLong()).isZero();
        assertThat(resume.path("p2pPublished").asLong()).isPositive();
        assertThat(resume.path("p2pDelivered").asLong())
                .isEqualTo(resume.path("p2pPublished").asLong());
        assertThat(resume.path("chanDelivered").asLong())
                .isEqualTo(resume.path("chanExpectedDeliveries").asLong());
        assertThat(resume.path("lost").asLong()).isZero();
        assertThat(resume.path("duplicated").asLong()).isZero();
        assertThat(resume.path("outOfOrder").asLong()).isZero();
        assertThat(resume.path("resumeMillis").path("count").asLong())
                .isEqualTo(resume.path("resumesOk").asLong());
        assertThat(run.err).contains("result: zero loss");
    }

    @Test
    void connectScenarioReportsSetupFiguresOnly() throws IOException {
        Run run = bench("connect", "--clients", "20", "--settle", "0");

        assertThat(run.status).as(run.err).isEqualTo(BenchMain.EXIT_OK);
        assertThat(run.json.path("connect").path("connected").asInt()).isEqualTo(20);
        assertThat(run.json.has("p2p")).isFalse();
        assertThat(run.json.has("fanout")).isFalse();
    }

    @Test
    void connectionsThatFailMakeTheRunFail() throws IOException {
        int deadPort = FreePorts.next(); // no node listens there
        Run run = bench(
                "p2p",
                "--servers",
                "127.0.0.1:" + deadPort,
                "--clients",
                "3",
                "--messages",
                "5",
                "--warmup",
                "0",
                "--drain",
                "0.5",
                "--settle",
                "0");

        assertThat(run.status).isEqualTo(BenchMain.EXIT_LOSS);
        assertThat(run.json.path("connect").path("failed").asInt()).isEqualTo(3);
        assertThat(run.json.path("zeroLoss").asBoolean()).isFalse();
        assertThat(run.err).contains("LOSS");
    }

    private static Run bench(String scenario, String... options) throws IOException {
        String[] args = new String[options.length + 9];
        args[0] = scenario;
        args[1] = "--servers";
        args[2] = String.join(",", CLUSTER.servers());
        args[3] = "--redis";
        args[4] = CLUSTER.redisServer().uri();
        args[5] = "--node-pid";
        args[6] = Long.toString(ProcessHandle.current().pid());
        args[7] = "--max-duration";
        args[8] = "120";
        System.arraycopy(options, 0, args, 9, options.length);
        // a later --servers overrides the default one
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(stdout.lines().count()).as("one JSON line on stdout").isEqualTo(1);
        return new Run(status, new ObjectMapper().readTree(stdout), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int status, JsonNode json, String err) {}
}
