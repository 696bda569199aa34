package io.imcore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

/**
 * A JUnit 5 extension that gives the tests of a class a real Sentinel set of their own: a master, a replica and
 * three sentinels (quorum 2, {@code down-after-milliseconds} {@value #DOWN_AFTER_MILLIS}, {@code failover-timeout}
 * {@value #FAILOVER_TIMEOUT_MILLIS}) monitoring it as {@value #MASTER_NAME}, all {@code redis-server} processes on
 * free ports of 127.0.0.1, each with its own directory (a sentinel with a writable copy of its config file),
 * started before all tests (once every sentinel knows the replica and the other sentinels) and stopped after them.
 *
 * <p>It needs the {@code redis-server} binary (as {@link RedisExtension} finds it); without it it fails the test
 * class (it never skips it).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisSentinelExtension SENTINEL = new RedisSentinelExtension();
 *
 * HostAndPort old = SENTINEL.killMaster();            // SIGKILL, as in a crash
 * HostAndPort promoted = SENTINEL.awaitFailover(old); // the replica, once the sentinels say so
 * }</pre>
 */
public final class RedisSentinelExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** The name the sentinels monitor the master by. */
    public static final String MASTER_NAME = "imcore";
    /** How long the master may go unanswered before a sentinel counts it as down. */
    public static final long DOWN_AFTER_MILLIS = 1000;
    /** The sentinels' failover timeout. */
    public static final long FAILOVER_TIMEOUT_MILLIS = 5000;

    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> servers = new ArrayList<>();
    private final List<RedisServerProcess> sentinels = new ArrayList<>();
    private String ownerId;

    /** A master, a replica and three sentinels. */
    public RedisSentinelExtension() {}

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (ownerId != null) { // a @Nested class: the set of the enclosing class serves it
            return;
        }
        try {
            start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        ownerId = context.getUniqueId();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerId)) {
            close();
            ownerId = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisSentinelExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    /** {@return the sentinels' addresses, {@code 127.0.0.1:port}, as {@code redis.sentinel.nodes} takes them} */
    public List<String> sentinelNodes() {
        return running(sentinels).stream()
                .map(sentinel -> sentinel.host() + ":" + sentinel.port())
                .toList();
    }

    /** {@return the sentinels' addresses as Jedis takes them} */
    public Set<HostAndPort> sentinelHostAndPorts() {
        return running(sentinels).stream()
                .map(sentinel -> new HostAndPort(sentinel.host(), sentinel.port()))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@return a new client of the current master through the sentinels, which the caller closes} */
    public RedisSentinelClient newClient() {
        return RedisSentinelClient.builder()
                .masterName(MASTER_NAME)
                .sentinels(sentinelHostAndPorts())
                .build();
    }

    /** {@return the master as the first sentinel that answers names it} */
    public HostAndPort currentMaster() {
        for (RedisServerProcess sentinel : running(sentinels)) {
            try (Jedis jedis = RedisTopology.probe(new HostAndPort(sentinel.host(), sentinel.port()))) {
                List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
                return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
            } catch (RuntimeException e) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    /**
     * Kills (SIGKILL) the current master, as in a crash: no shutdown, nothing more sent to the replica.
     *
     * @return its address
     */
    public HostAndPort killMaster() {
        HostAndPort master = currentMaster();
        processAt(master).crash();
        return master;
    }

    /**
     * Waits until every sentinel names a master other than {@code old} and that master says it is one.
     *
     * @return the new master
     * @throws IllegalStateException when that takes more than 30 s
     */
    public HostAndPort awaitFailover(HostAndPort old) {
        RedisTopology.await(
                "a failover away from " + old,
                FAILOVER_WAIT,
                () -> {
                    for (RedisServerProcess sentinel : sentinels) {
                        try (Jedis jedis = RedisTopology.probe(new HostAndPort(sentinel.host(), sentinel.port()))) {
                            List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
                            if (new HostAndPort(address.get(0), Integer.parseInt(address.get(1))).equals(old)) {
                                return false;
                            }
                        }
                    }
                    try (Jedis jedis = RedisTopology.probe(currentMaster())) {
                        return "master".equals(jedis.role().get(0).toString());
                    }
                },
                this::sentinelStates);
        return currentMaster();
    }

    /**
     * Starts a killed server again on its port, empty; the sentinels then make it a replica of the current master.
     */
    public void restart(HostAndPort killed) {
        processAt(killed).start();
    }

    private void start() {
        Path binary = RedisBinary.require();
        RedisServerProcess master = new RedisServerProcess(binary, RedisServerProcess.freePort());
        servers.add(master);
        master.start();
        int masterPort = master.port();
        RedisServerProcess replica = new RedisServerProcess(
                binary, RedisServerProcess.freePort(), (dir, port) -> replicaArguments(dir, port, masterPort));
        servers.add(replica);
        replica.start();
        RedisTopology.await(
                "the replica's link to the master",
                READY_TIMEOUT,
                () -> {
                    try (Jedis jedis = RedisTopology.probe(new HostAndPort(replica.host(), replica.port()))) {
                        return jedis.info("replication").contains("master_link_status:up");
                    }
                },
                () -> "replica " + replica.port() + " not linked");
        for (int i = 0; i < SENTINELS; i++) {
            RedisServerProcess sentinel = new RedisServerProcess(
                    binary, RedisServerProcess.freePort(), (dir, port) -> sentinelArguments(dir, port, masterPort));
            sentinels.add(sentinel);
            sentinel.start();
        }
        RedisTopology.await(
                "every sentinel knowing the replica and the other sentinels",
                READY_TIMEOUT,
                () -> sentinels.stream().allMatch(this::knowsEverybody),
                this::sentinelStates);
    }

    private boolean knowsEverybody(RedisServerProcess sentinel) {
        try (Jedis jedis = RedisTopology.probe(new HostAndPort(sentinel.host(), sentinel.port()))) {
            Map<String, String> master = jedis.sentinelMaster(MASTER_NAME);
            return Integer.parseInt(master.get("num-slaves")) >= 1
                    && Integer.parseInt(master.get("num-other-sentinels")) >= SENTINELS - 1;
        }
    }

    private String sentinelStates() {
        StringBuilder all = new StringBuilder();
        for (RedisServerProcess sentinel : sentinels) {
            all.append("\nsentinel ").append(sentinel.port()).append(": ");
            try (Jedis jedis = RedisTopology.probe(new HostAndPort(sentinel.host(), sentinel.port()))) {
                Map<String, String> master = jedis.sentinelMaster(MASTER_NAME);
                all.append(master.get("ip"))
                        .append(':')
                        .append(master.get("port"))
                        .append(' ')
                        .append(master.get("flags"))
                        .append(" replicas=")
                        .append(master.get("num-slaves"))
                        .append(" others=")
                        .append(master.get("num-other-sentinels"));
            } catch (RuntimeException e) {
                all.append(e);
            }
        }
        return all.toString();
    }

    private static List<String> replicaArguments(Path dir, int port, int masterPort) {
        return List.of(
                "--port",
                Integer.toString(port),
                "--bind",
                RedisServerProcess.HOST,
                "--replicaof",
                RedisServerProcess.HOST,
                Integer.toString(masterPort),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no");
    }

    /** Sentinel rewrites its config file: each gets a writable copy in its own directory. */
    private static List<String> sentinelArguments(Path dir, int port, int masterPort) {
        Path config = dir.resolve("sentinel.conf");
        String text = String.join(
                "\n",
                "port " + port,
                "bind " + RedisServerProcess.HOST,
                "daemonize no",
                "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " " + RedisServerProcess.HOST + " " + masterPort + " " + QUORUM,
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
                "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
                "sentinel parallel-syncs " + MASTER_NAME + " 1",
                "");
        try {
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        return List.of(config.toString(), "--sentinel");
    }

    private RedisServerProcess processAt(HostAndPort address) {
        return servers.stream()
                .filter(server -> server.port() == address.getPort())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no server of this set at " + address));
    }

    private List<RedisServerProcess> running(List<RedisServerProcess> processes) {
        if (processes.isEmpty()) {
            throw new IllegalStateException("RedisSentinelExtension has no servers: register it on a static field"
                    + " with @RegisterExtension and use it within the test class");
        }
        return processes;
    }

    private void close() {
        sentinels.forEach(RedisServerProcess::close);
        sentinels.clear();
        servers.forEach(RedisServerProcess::close);
        servers.clear();
    }
}
