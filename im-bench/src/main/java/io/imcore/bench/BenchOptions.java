package io.imcore.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The command line of im-bench: a scenario and {@code --name value} options, each bounded so that a run is
 * bounded in count and time. {@link #HELP} documents every option.
 */
public record BenchOptions(
        Scenario scenario,
        List<String> servers,
        String redisUri,
        String redisSentinelMaster,
        List<String> redisSentinelNodes,
        List<String> redisClusterNodes,
        String keyPrefix,
        int clients,
        int connectConcurrency,
        int connectRate,
        int messages,
        int warmup,
        int rate,
        int publishers,
        int async,
        int fanoutMessages,
        int fanoutWarmup,
        double fanoutRate,
        int payloadBytes,
        Duration settle,
        Duration drain,
        Duration hold,
        Duration maxDuration,
        List<Long> nodePids,
        List<Long> redisPids,
        boolean allowRemote,
        String idPrefix,
        long seed,
        boolean quiet,
        Duration churnSeconds,
        boolean acks,
        Duration resumeSeconds,
        double dropFraction,
        Duration dropEvery,
        Duration dropPause,
        int waitReplicas,
        Duration waitTimeout) {

    /** The scenarios. */
    public enum Scenario {
        CONNECT,
        P2P,
        FANOUT,
        ALL,
        CHURN,
        RESUME;

        boolean p2p() {
            return this == P2P || this == ALL;
        }

        boolean fanout() {
            return this == FANOUT || this == ALL;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int MAX_CLIENTS = 200_000;
    static final int MAX_MESSAGES = 10_000_000;
    static final int MAX_FANOUT_MESSAGES = 100_000;
    static final long MAX_FANOUT_DELIVERIES = 200_000_000L;
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final long MAX_RESUME_CHANNEL_DELIVERIES = 50_000_000L;

    public static final String HELP = """
            Usage: java -jar im-bench.jar <scenario> [options]

            A load generator for ImCore nodes. It opens terminals (WebSocket connections, tokens from
            ImClient.prevConnectServer), publishes through ImClient (as a business backend does) and
            accounts for every message: delivered, missing, duplicated, delivered to the wrong client.
            Latency runs from the publisher's send time to the terminal's receipt (same process clock).
            Given the nodes' pids it reads their CPU time (utime+stime of /proc/<pid>/stat) per phase,
            so it reports node CPU microseconds per delivered message, and their VmRSS before and after
            connecting, so it reports RSS per connection. On a machine shared by the generator and the
            node, CPU per delivery is the figure to compare: latency also pays for the generator.

            Prints one JSON line of results on stdout and a human summary on stderr.
            Exit status: 0 every message delivered exactly once to the right client; 1 something was lost,
            duplicated or misdelivered, or a connection failed; 2 bad command line; 3 the run hit
            --max-duration.

            Scenarios:
              connect   open --clients connections; setup rate, handshake latency, node CPU and RSS per
                        connection (measured after --settle)
              p2p       connect, then --messages point-to-point messages (ImClient.sendMessage, one
                        random connected receiver each) at --rate msg/s
              fanout    connect, every client joins one channel, then --fanout-messages channel messages
                        (ImClient.sendChanMessage) at --fanout-rate msg/s; each must reach every member
              all       connect, p2p, then fanout, on the same connections
              churn     --clients terminals that reconnect as real ones do (through prevConnectServer, every
                        200 ms until a node takes them) and a sender; messages with receipts at --rate to
                        random terminals for --churn-seconds while the operator kills and adds nodes
                        (ops/cluster/churn-bench.sh). Reports delivered / offline-receipted / lost (and lost
                        while the receiver was connected) and reconnect times; exit 0 when nothing was lost
                        for a connected receiver
              resume    --clients terminals with acks on (as --acks) join one channel; for --resume-seconds,
                        p2p messages at --rate to random terminals and channel messages at --fanout-rate to
                        all of them, while every --drop-every seconds --drop-fraction of the terminals drop
                        abruptly (TCP closed, no close frame, nothing acked since the last ack) and resume
                        --drop-pause later on a fresh URL (prevConnectServer + &session=…&seq=<last held>).
                        Reports drops, resumes ok / failed, resume latency (URL request to hello), frames
                        replayed (arrived on a resumed connection, published before it was asked for), lost,
                        duplicated and out-of-order messages (per publisher thread); exit 0 only when every
                        message arrived exactly once, in order, and every resume succeeded

            Options (defaults in brackets):
              --servers LIST             node entries, comma-separated, as in cluster.servers, same order
                                         [127.0.0.1:6001]
              --redis URI                the cluster's Redis [redis://127.0.0.1:6379]
              --redis-sentinel M@H:P,... instead of --redis: the master M the sentinels H:P,... monitor
              --redis-cluster H:P,...    instead of --redis: a Redis Cluster, by some of its nodes
              --wait-replicas N          with --redis-sentinel or --redis-cluster: every send waits for N
                                         replicas (ImClientOptions.waitReplicas; WAIT after the XADD);
                                         a send not acknowledged in time counts as a publish error [0]
              --wait-timeout MS          longest WAIT of --wait-replicas, milliseconds [100]
              --key-prefix P             the cluster's redis.keyPrefix [im:]
              --clients N                connections to open, one client id each [1000] (max 200000;
                                         each needs a file descriptor here and on the node: see ulimit -n)
              --connect-concurrency N    handshakes in flight at once [200]
              --connect-rate N           new connections per second, 0 = as fast as they complete [0]
              --messages N               p2p messages measured [20000] (max 10000000)
              --warmup N                 p2p messages sent first at the same rate, accounted for but not
                                         in latency or CPU figures (lets the node's JIT settle) [2000]
              --rate N                   p2p messages per second, 0 = flat out [4000]
              --publishers N             publishing threads for p2p [4]
              --async N                  p2p publishes with ImClient.sendMessageAsync, at most N in flight
                                         over all publishers (max 10000; 0 = sendMessage, one call at a time
                                         per publisher) [0]
              --fanout-messages N        channel messages [20] (max 100000; at most 2e8 deliveries)
              --fanout-warmup N          channel messages sent first at the same rate, accounted for but not
                                         in latency or CPU figures [4]
              --fanout-rate R            channel messages per second, may be fractional [2]
              --payload BYTES            padding added to every message's data [64]
              --settle SECONDS           wait after connecting before RSS is read [5]
              --drain SECONDS            after the last publish, wait at most this long for deliveries;
                                         what has not arrived then is missing [10]
              --churn-seconds SECONDS    how long churn sends [30] (max 3600)
              --resume-seconds SECONDS   how long resume sends [30] (max 3600)
              --drop-fraction F          resume: the share of the terminals dropped each time [0.1]
              --drop-every SECONDS       resume: the interval between drops [5]
              --drop-pause SECONDS       resume: how long a dropped terminal waits before it resumes [1]
                                         (the node's websocket.resume.window must be longer)
              --hold SECONDS             keep the connections open this long after the last phase, to
                                         inspect the node (jcmd, /metrics); within --max-duration [0]
              --max-duration SECONDS     hard bound of the whole run; it stops itself then [600] (max 3600)
              --node-pid PIDS            pids of the node processes, comma-separated (same machine); enables
                                         the CPU and RSS figures
              --redis-pid PIDS           pids of redis-server, comma-separated (e.g. every master of a
                                         cluster), to report their CPU per delivery as well, summed and each
              --allow-remote             allow targets that are not loopback addresses (default: refuse)
              --id-prefix P              client id prefix [bench-<random>-]
              --seed N                   seed of the receiver choice [random]
              --quiet                    no progress lines on stderr
              --acks                     terminals connect with &acks=1 and acknowledge what they get, as
                                         imcore.js does (PROTOCOL.md 3.1: at most every 100 ms or 32 frames)
              --help                     this text
            """;

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a message for a bad command line. */
    public static BenchOptions parse(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a scenario is required: connect, p2p, fanout, all, churn or resume");
        }
        Scenario scenario;
        try {
            scenario = Scenario.valueOf(args[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown scenario '" + args[0] + "': connect, p2p, fanout, all, churn or resume");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got '" + name + "'");
            }
            if (name.equals("--allow-remote") || name.equals("--quiet") || name.equals("--acks")) {
                values.put(name, "true");
                continue;
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + " (see --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        if (values.containsKey("--redis")
                && (values.containsKey("--redis-sentinel") || values.containsKey("--redis-cluster"))) {
            throw new IllegalArgumentException("give one of --redis, --redis-sentinel and --redis-cluster, not --redis"
                    + " and " + (values.containsKey("--redis-sentinel") ? "--redis-sentinel" : "--redis-cluster"));
        }
        String prefix = values.getOrDefault(
                "--id-prefix",
                "bench-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "-");
        return new BenchOptions(
                        scenario,
                        list(values.getOrDefault("--servers", "127.0.0.1:6001")),
                        values.getOrDefault("--redis", "redis://127.0.0.1:6379"),
                        sentinelMaster(values),
                        sentinelNodes(values),
                        values.containsKey("--redis-cluster")
                                ? hostPorts("--redis-cluster", values.get("--redis-cluster"))
                                : List.of(),
                        values.getOrDefault("--key-prefix", "im:"),
                        intIn(values, "--clients", 1000, 1, MAX_CLIENTS),
                        intIn(values, "--connect-concurrency", 200, 1, 10_000),
                        intIn(values, "--connect-rate", 0, 0, 1_000_000),
                        intIn(values, "--messages", 20_000, 0, MAX_MESSAGES),
                        intIn(values, "--warmup", 2_000, 0, MAX_MESSAGES),
                        intIn(values, "--rate", 4_000, 0, 10_000_000),
                        intIn(values, "--publishers", 4, 1, 64),
                        intIn(values, "--async", 0, 0, 10_000),
                        intIn(values, "--fanout-messages", 20, 0, MAX_FANOUT_MESSAGES),
                        intIn(values, "--fanout-warmup", 4, 0, MAX_FANOUT_MESSAGES),
                        doubleIn(values, "--fanout-rate", 2, 0.001, 100_000),
                        intIn(values, "--payload", 64, 0, 60_000),
                        Duration.ofMillis((long) (doubleIn(values, "--settle", 5, 0, 600) * 1000)),
                        Duration.ofMillis((long) (doubleIn(values, "--drain", 10, 0.1, 600) * 1000)),
                        Duration.ofMillis((long) (doubleIn(values, "--hold", 0, 0, 3600) * 1000)),
                        Duration.ofMillis(
                                (long) (doubleIn(values, "--max-duration", 600, 1, MAX_DURATION.toSeconds()) * 1000)),
                        pids(values.get("--node-pid")),
                        pids(values.get("--redis-pid")),
                        values.containsKey("--allow-remote"),
                        prefix,
                        values.containsKey("--seed")
                                ? longOf("--seed", values.get("--seed"))
                                : ThreadLocalRandom.current().nextLong(),
                        values.containsKey("--quiet"),
                        Duration.ofMillis((long) (doubleIn(values, "--churn-seconds", 30, 1, 3600) * 1000)),
                        values.containsKey("--acks") || scenario == Scenario.RESUME,
                        Duration.ofMillis((long) (doubleIn(values, "--resume-seconds", 30, 1, 3600) * 1000)),
                        doubleIn(values, "--drop-fraction", 0.1, 0, 1),
                        Duration.ofMillis((long) (doubleIn(values, "--drop-every", 5, 0.1, 3600) * 1000)),
                        Duration.ofMillis((long) (doubleIn(values, "--drop-pause", 1, 0, 600) * 1000)),
                        intIn(values, "--wait-replicas", 0, 0, 16),
                        Duration.ofMillis(intIn(values, "--wait-timeout", 100, 1, 60_000)))
                .validated();
    }

    private static String sentinelMaster(Map<String, String> values) {
        String value = values.get("--redis-sentinel");
        if (value == null) {
            return null;
        }
        int at = value.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException(
                    "--redis-sentinel must be <masterName>@host:port,host:port,..., was " + value);
        }
        return value.substring(0, at);
    }

    private static List<String> sentinelNodes(Map<String, String> values) {
        String value = values.get("--redis-sentinel");
        return value == null ? List.of() : hostPorts("--redis-sentinel", value.substring(value.indexOf('@') + 1));
    }

    private static List<String> hostPorts(String option, String value) {
        List<String> nodes = list(value);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one host:port");
        }
        for (String node : nodes) {
            int colon = node.lastIndexOf(':');
            if (colon <= 0 || colon == node.length() - 1) {
                throw new IllegalArgumentException(option + ": '" + node + "' is not host:port");
            }
            int port = intOf(option, node.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(option + ": port of '" + node + "' must be 1 to 65535");
            }
        }
        return nodes;
    }

    private static int intOf(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a number");
        }
    }

    /** Every Redis host the run talks to: the URI's, or the sentinels', or the cluster seeds'. */
    List<String> redisHosts() {
        List<String> nodes = redisSentinelMaster != null ? redisSentinelNodes : redisClusterNodes;
        if (nodes.isEmpty()) {
            return List.of(Targets.redisHost(redisUri));
        }
        return nodes.stream()
                .map(node -> node.substring(0, node.lastIndexOf(':')))
                .toList();
    }

    private static final List<String> KNOWN = List.of(
            "--servers",
            "--redis",
            "--redis-sentinel",
            "--redis-cluster",
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
            "--fanout-rate",
            "--payload",
            "--settle",
            "--drain",
            "--hold",
            "--max-duration",
            "--node-pid",
            "--redis-pid",
            "--id-prefix",
            "--seed",
            "--churn-seconds",
            "--resume-seconds",
            "--drop-fraction",
            "--drop-every",
            "--drop-pause",
            "--wait-replicas",
            "--wait-timeout");

    private BenchOptions validated() {
        if (redisSentinelMaster != null && !redisClusterNodes.isEmpty()) {
            throw new IllegalArgumentException("give one of --redis, --redis-sentinel and --redis-cluster, not"
                    + " --redis-sentinel and --redis-cluster");
        }
        if (waitReplicas > 0 && redisSentinelMaster == null && redisClusterNodes.isEmpty()) {
            throw new IllegalArgumentException(
                    "--wait-replicas needs replicas: use it with --redis-sentinel or --redis-cluster");
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("--servers needs at least one entry");
        }
        if (scenario.fanout() && (long) clients * Math.max(fanoutMessages, fanoutWarmup) > MAX_FANOUT_DELIVERIES) {
            throw new IllegalArgumentException(
                    "--clients × --fanout-messages (the fan-out deliveries) must be at most " + MAX_FANOUT_DELIVERIES);
        }
        if (scenario == Scenario.RESUME) {
            if (rate == 0) {
                throw new IllegalArgumentException("resume needs a --rate above 0 (it sends on a schedule)");
            }
            if ((long) rate * resumeSeconds.toSeconds() > MAX_MESSAGES) {
                throw new IllegalArgumentException("--rate × --resume-seconds must be at most " + MAX_MESSAGES);
            }
            if ((Math.ceil(fanoutRate * resumeSeconds.toSeconds()) + 2) * clients > MAX_RESUME_CHANNEL_DELIVERIES) {
                throw new IllegalArgumentException("--fanout-rate × --resume-seconds × --clients (channel deliveries)"
                        + " must be at most " + MAX_RESUME_CHANNEL_DELIVERIES);
            }
        }
        if (idPrefix.isEmpty() || idPrefix.length() > 100) {
            throw new IllegalArgumentException("--id-prefix must have 1 to 100 characters");
        }
        return this;
    }

    /** The options as a JSON-friendly map, for the results line. */
    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("servers", servers);
        map.put("clients", clients);
        map.put("connectConcurrency", connectConcurrency);
        map.put("connectRate", connectRate);
        if (scenario.p2p()) {
            map.put("messages", messages);
            map.put("warmup", warmup);
            map.put("rate", rate);
            map.put("publishers", publishers);
            map.put("async", async);
        }
        if (waitReplicas > 0) {
            map.put("waitReplicas", waitReplicas);
            map.put("waitTimeoutMillis", waitTimeout.toMillis());
        }
        if (scenario == Scenario.CHURN) {
            map.put("rate", rate);
            map.put("churnSeconds", churnSeconds.toSeconds());
        }
        if (scenario == Scenario.RESUME) {
            map.put("rate", rate);
            map.put("publishers", publishers);
            map.put("fanoutRate", fanoutRate);
            map.put("resumeSeconds", resumeSeconds.toSeconds());
            map.put("dropFraction", dropFraction);
            map.put("dropEverySeconds", dropEvery.toMillis() / 1000.0);
            map.put("dropPauseSeconds", dropPause.toMillis() / 1000.0);
        }
        if (scenario.fanout()) {
            map.put("fanoutMessages", fanoutMessages);
            map.put("fanoutWarmup", fanoutWarmup);
            map.put("fanoutRate", fanoutRate);
        }
        map.put("payload", payloadBytes);
        map.put("settleSeconds", settle.toMillis() / 1000.0);
        map.put("drainSeconds", drain.toMillis() / 1000.0);
        map.put("maxDurationSeconds", maxDuration.toSeconds());
        map.put("nodePids", nodePids);
        map.put("redisPids", redisPids);
        map.put("seed", seed);
        return map;
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return List.copyOf(out);
    }

    private static List<Long> pids(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(BenchOptions::pid)
                .toList();
    }

    private static long pid(String value) {
        long pid = longOf("a pid", value);
        if (pid <= 0) {
            throw new IllegalArgumentException("a pid must be positive, got " + value);
        }
        return pid;
    }

    private static int intIn(Map<String, String> values, String name, int def, int min, int max) {
        String raw = values.get(name);
        if (raw == null) {
            return def;
        }
        long value = longOf(name, raw.replace("_", ""));
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + raw);
        }
        return (int) value;
    }

    private static double doubleIn(Map<String, String> values, String name, double def, double min, double max) {
        String raw = values.get(name);
        if (raw == null) {
            return def;
        }
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + raw + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + raw);
        }
        return value;
    }

    private static long longOf(String name, String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + raw + "'");
        }
    }
}
