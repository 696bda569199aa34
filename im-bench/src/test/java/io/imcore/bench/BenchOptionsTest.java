package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void churnRunsForItsSeconds() {
        BenchOptions options = BenchOptions.parse("churn", "--churn-seconds", "5", "--rate", "50");

        assertThat(options.scenario()).isEqualTo(BenchOptions.Scenario.CHURN);
        assertThat(options.churnSeconds()).isEqualTo(Duration.ofSeconds(5));
        assertThat(BenchOptions.parse("churn").churnSeconds()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void resumeHasAcksOnAndItsDropOptions() {
        BenchOptions options = BenchOptions.parse(
                "resume",
                "--drop-fraction",
                "0.2",
                "--drop-every",
                "2",
                "--drop-pause",
                "0.5",
                "--resume-seconds",
                "9");
        assertThat(options.acks()).isTrue();
        assertThat(options.dropFraction()).isEqualTo(0.2);
        assertThat(options.dropEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.dropPause()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.resumeSeconds()).isEqualTo(Duration.ofSeconds(9));
        assertThatThrownBy(() -> BenchOptions.parse("resume", "--rate", "0")).hasMessageContaining("--rate above 0");
        assertThatThrownBy(() -> BenchOptions.parse("resume", "--drop-fraction", "2"))
                .hasMessageContaining("between");
    }

    @Test
    void defaultsAreLoopbackAndBounded() {
        BenchOptions options = BenchOptions.parse("p2p");

        assertThat(options.scenario()).isEqualTo(BenchOptions.Scenario.P2P);
        assertThat(options.servers()).containsExactly("127.0.0.1:6001");
        assertThat(options.redisUri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(options.clients()).isEqualTo(1000);
        assertThat(options.rate()).isEqualTo(4000);
        assertThat(options.maxDuration()).isEqualTo(Duration.ofSeconds(600));
        assertThat(options.allowRemote()).isFalse();
        assertThat(options.idPrefix()).startsWith("bench-");
    }

    @Test
    void parsesEveryOption() {
        BenchOptions options = BenchOptions.parse(
                "all",
                "--servers",
                "127.0.0.1:1,127.0.0.1:2",
                "--redis",
                "redis://localhost:7",
                "--key-prefix",
                "x:",
                "--clients",
                "10_000",
                "--connect-concurrency",
                "50",
                "--connect-rate",
                "500",
                "--messages",
                "9",
                "--warmup",
                "1",
                "--rate",
                "0",
                "--publishers",
                "2",
                "--fanout-messages",
                "3",
                "--fanout-rate",
                "0.5",
                "--payload",
                "0",
                "--settle",
                "1.5",
                "--drain",
                "2",
                "--max-duration",
                "30",
                "--node-pid",
                "1, 2",
                "--redis-pid",
                "3,4",
                "--allow-remote",
                "--id-prefix",
                "t-",
                "--seed",
                "42",
                "--quiet");

        assertThat(options.servers()).containsExactly("127.0.0.1:1", "127.0.0.1:2");
        assertThat(options.keyPrefix()).isEqualTo("x:");
        assertThat(options.clients()).isEqualTo(10_000);
        assertThat(options.connectConcurrency()).isEqualTo(50);
        assertThat(options.connectRate()).isEqualTo(500);
        assertThat(options.messages()).isEqualTo(9);
        assertThat(options.warmup()).isEqualTo(1);
        assertThat(options.rate()).isZero();
        assertThat(options.publishers()).isEqualTo(2);
        assertThat(options.fanoutMessages()).isEqualTo(3);
        assertThat(options.fanoutRate()).isEqualTo(0.5);
        assertThat(options.payloadBytes()).isZero();
        assertThat(options.settle()).isEqualTo(Duration.ofMillis(1500));
        assertThat(options.drain()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.maxDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.nodePids()).isEqualTo(List.of(1L, 2L));
        assertThat(options.redisPids()).isEqualTo(List.of(3L, 4L));
        assertThat(options.allowRemote()).isTrue();
        assertThat(options.idPrefix()).isEqualTo("t-");
        assertThat(options.seed()).isEqualTo(42);
        assertThat(options.quiet()).isTrue();
    }

    @Test
    void refusesBadCommandLines() {
        assertThatThrownBy(() -> BenchOptions.parse()).hasMessageContaining("scenario is required");
        assertThatThrownBy(() -> BenchOptions.parse("soak")).hasMessageContaining("unknown scenario");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--bogus", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--clients")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--clients", "0")).hasMessageContaining("between");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--clients", "300000"))
                .hasMessageContaining("between");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--max-duration", "7200"))
                .hasMessageContaining("between");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--rate", "fast")).hasMessageContaining("integer");
        assertThatThrownBy(() -> BenchOptions.parse("fanout", "--clients", "200000", "--fanout-messages", "2000"))
                .hasMessageContaining("deliveries");
    }

    @Test
    void helpDocumentsEveryOption() {
        for (String option : List.of(
                "--servers",
                "--redis",
                "--key-prefix",
                "--clients",
                "--connect-concurrency",
                "--connect-rate",
                "--messages",
                "--warmup",
                "--rate",
                "--publishers",
                "--async",
                "--fanout-messages",
                "--fanout-warmup",
                "--resume-seconds",
                "--drop-fraction",
                "--drop-every",
                "--drop-pause",
                "--fanout-rate",
                "--payload",
                "--settle",
                "--drain",
                "--hold",
                "--max-duration",
                "--node-pid",
                "--redis-pid",
                "--allow-remote",
                "--id-prefix",
                "--seed",
                "--quiet",
                "--help")) {
            assertThat(BenchOptions.HELP).contains(option);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                BenchMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isEqualTo(BenchMain.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BenchOptions.HELP);
    }

    @Test
    void refusesRemoteTargetsWithoutTheFlag() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(
                new String[] {"connect", "--servers", "10.1.2.3:6001"},
                System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(BenchMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing to load 10.1.2.3");
        assertThatThrownBy(() -> Targets.requireLoopback(List.of("127.0.0.1:6001"), "redis://192.168.0.9:6379"))
                .hasMessageContaining("192.168.0.9");
        Targets.requireLoopback(
                List.of("127.0.0.1:6001", "localhost:6003", "ws://[::1]:6005"), "redis://localhost:6379");
    }

    @Test
    void parsesASentinelOrAClusterInsteadOfOneRedis() {
        BenchOptions sentinel =
                BenchOptions.parse("p2p", "--redis-sentinel", "imcore@127.0.0.1:26379, 127.0.0.1:26380");
        assertThat(sentinel.redisSentinelMaster()).isEqualTo("imcore");
        assertThat(sentinel.redisSentinelNodes()).containsExactly("127.0.0.1:26379", "127.0.0.1:26380");
        assertThat(sentinel.redisClusterNodes()).isEmpty();
        assertThat(sentinel.redisHosts()).containsExactly("127.0.0.1", "127.0.0.1");

        BenchOptions cluster = BenchOptions.parse("all", "--redis-cluster", "127.0.0.1:7000,localhost:7001");
        assertThat(cluster.redisSentinelMaster()).isNull();
        assertThat(cluster.redisClusterNodes()).containsExactly("127.0.0.1:7000", "localhost:7001");
        assertThat(cluster.redisHosts()).containsExactly("127.0.0.1", "localhost");

        BenchOptions single = BenchOptions.parse("p2p");
        assertThat(single.redisSentinelMaster()).isNull();
        assertThat(single.redisClusterNodes()).isEmpty();
        assertThat(single.redisHosts()).containsExactly("127.0.0.1");
    }

    @Test
    void refusesBadOrCombinedTopologies() {
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--redis-sentinel", "127.0.0.1:26379"))
                .hasMessageContaining("--redis-sentinel must be <masterName>@host:port");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--redis-sentinel", "m@"))
                .hasMessage("--redis-sentinel needs at least one host:port");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--redis-cluster", "127.0.0.1"))
                .hasMessage("--redis-cluster: '127.0.0.1' is not host:port");
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--redis-cluster", "h:99999"))
                .hasMessage("--redis-cluster: port of 'h:99999' must be 1 to 65535");
        assertThatThrownBy(() -> BenchOptions.parse(
                        "p2p", "--redis", "redis://127.0.0.1:6379", "--redis-cluster", "127.0.0.1:7000"))
                .hasMessage("give one of --redis, --redis-sentinel and --redis-cluster, not --redis"
                        + " and --redis-cluster");
        assertThatThrownBy(() -> BenchOptions.parse(
                        "p2p", "--redis-sentinel", "m@127.0.0.1:1", "--redis-cluster", "127.0.0.1:7000"))
                .hasMessage("give one of --redis, --redis-sentinel and --redis-cluster, not"
                        + " --redis-sentinel and --redis-cluster");
    }

    @Test
    void takesTheWaitKnobWithReplicasOnly() {
        BenchOptions on = BenchOptions.parse(
                "p2p", "--redis-sentinel", "imcore@127.0.0.1:26379", "--wait-replicas", "1", "--wait-timeout", "200");
        assertThat(on.waitReplicas()).isEqualTo(1);
        assertThat(on.waitTimeout()).isEqualTo(java.time.Duration.ofMillis(200));
        assertThat(BenchOptions.parse("p2p").waitReplicas()).isZero();
        assertThatThrownBy(() -> BenchOptions.parse("p2p", "--wait-replicas", "1"))
                .hasMessage("--wait-replicas needs replicas: use it with --redis-sentinel or --redis-cluster");
    }
}
