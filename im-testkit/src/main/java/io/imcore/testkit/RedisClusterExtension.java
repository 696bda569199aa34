package io.imcore.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A JUnit 5 extension that gives the tests of a class a real Redis Cluster of their own: {@code masters} (3 by
 * default) {@code redis-server --cluster-enabled yes} processes on free ports of 127.0.0.1 (each port + 10000, the
 * cluster bus, free too), each with its own directory, the slots assigned by
 * {@code redis-cli --cluster create … --cluster-yes}, started before all tests (once {@code cluster_state:ok} on
 * every node) and stopped after them. With replicas per master, a master killed by {@link #killMasterOf(String)}
 * is replaced by its replica (cluster node timeout 2 s).
 *
 * <p>It needs the {@code redis-server} binary (as {@link RedisExtension} finds it) and {@code redis-cli} (beside it
 * or on {@code PATH}); without them it fails the test class (it never skips it).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
 *
 * try (RedisClusterClient redis = CLUSTER.newClient()) {
 *   redis.set("k", "v");
 * }
 * }</pre>
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** How long a node may go unanswered before the others count it as failed. */
    public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int SLOTS = 16384;

    private final int masters;
    private final int replicasPerMaster;
    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private String ownerId;

    /** Three masters, no replicas. */
    public RedisClusterExtension() {
        this(3, 0);
    }

    /**
     * @param masters           masters to spread the slots over, at least 3 (as {@code redis-cli} requires)
     * @param replicasPerMaster replicas of each master
     */
    public RedisClusterExtension(int masters, int replicasPerMaster) {
        if (masters < 3 || replicasPerMaster < 0) {
            throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters and no negative replicas");
        }
        this.masters = masters;
        this.replicasPerMaster = replicasPerMaster;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (ownerId != null) { // a @Nested class: the cluster of the enclosing class serves it
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
        return parameter.getParameter().getType() == RedisClusterExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    /** {@return the seed addresses, {@code 127.0.0.1:port} of every node, as {@code redis.cluster.nodes} takes} */
    public List<String> nodes() {
        return running().stream().map(node -> node.host() + ":" + node.port()).toList();
    }

    /** {@return the seed addresses as Jedis takes them} */
    public Set<HostAndPort> hostAndPorts() {
        return running().stream()
                .map(node -> new HostAndPort(node.host(), node.port()))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@return a new cluster client, which the caller closes} */
    public RedisClusterClient newClient() {
        return RedisClusterClient.create(hostAndPorts());
    }

    /** {@return the addresses of the nodes that are masters now and answer, in port order} */
    public List<HostAndPort> masters() {
        List<HostAndPort> found = new ArrayList<>();
        for (RedisServerProcess node : running()) {
            if (!node.isRunning()) {
                continue;
            }
            HostAndPort address = new HostAndPort(node.host(), node.port());
            try (Jedis jedis = RedisTopology.probe(address)) {
                if ("master".equals(jedis.role().get(0).toString())) {
                    found.add(address);
                }
            }
        }
        return found;
    }

    /** {@return the number of keys on each master that answers, by {@code host:port}} */
    public Map<String, Long> keysPerMaster() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (HostAndPort master : masters()) {
            try (Jedis jedis = RedisTopology.probe(master)) {
                counts.put(master.toString(), jedis.dbSize());
            }
        }
        return counts;
    }

    /** {@return the master that serves {@code key}'s hash slot now, as a live master's {@code CLUSTER NODES} says} */
    public HostAndPort masterOf(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        for (HostAndPort master : masters()) {
            try (Jedis jedis = RedisTopology.probe(master)) {
                for (String line : jedis.clusterNodes().split("\n")) {
                    // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot or range>...
                    String[] fields = line.trim().split(" ");
                    if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                        continue;
                    }
                    for (int i = 8; i < fields.length; i++) {
                        if (fields[i].startsWith("[")) {
                            continue; // a slot being migrated
                        }
                        String[] range = fields[i].split("-");
                        int from = Integer.parseInt(range[0]);
                        int to = range.length == 1 ? from : Integer.parseInt(range[1]);
                        if (slot >= from && slot <= to) {
                            return HostAndPort.from(fields[1].substring(0, fields[1].indexOf('@')));
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot + " of " + key);
    }

    /**
     * Kills (SIGKILL) the master that serves {@code key} and, when it has a replica, waits until the cluster has
     * promoted it and says {@code cluster_state:ok} again.
     *
     * @return the address of the killed master
     */
    public HostAndPort killMasterOf(String key) {
        HostAndPort victim = masterOf(key);
        processAt(victim).crash();
        if (replicasPerMaster > 0) {
            RedisTopology.await(
                    "a replica promoted for " + victim,
                    READY_TIMEOUT.plus(NODE_TIMEOUT),
                    () -> !masterOf(key).equals(victim) && allOk(),
                    this::clusterInfos);
        }
        return victim;
    }

    /**
     * Kills (SIGKILL) every replica, leaving the masters alone: the cluster keeps serving every slot, and a
     * {@code WAIT} for a replica then times out.
     *
     * @return the addresses of the killed replicas
     */
    public List<HostAndPort> killReplicas() {
        List<HostAndPort> killed = new ArrayList<>();
        for (RedisServerProcess node : running()) {
            if (!node.isRunning()) {
                continue;
            }
            HostAndPort address = new HostAndPort(node.host(), node.port());
            boolean replica;
            try (Jedis jedis = RedisTopology.probe(address)) {
                replica = !"master".equals(jedis.role().get(0).toString());
            }
            if (replica) {
                node.crash();
                killed.add(address);
            }
        }
        return killed;
    }

    /** Deletes the keys of every master. */
    public void flushAll() {
        for (HostAndPort master : masters()) {
            try (Jedis jedis = RedisTopology.probe(master)) {
                jedis.flushAll();
            }
        }
    }

    private void start() {
        Path binary = RedisBinary.require();
        Path cli = RedisBinary.cliBeside(binary);
        int count = masters * (1 + replicasPerMaster);
        for (int i = 0; i < count; i++) {
            RedisServerProcess node = new RedisServerProcess(
                    binary, RedisServerProcess.freeClusterPort(), RedisClusterExtension::clusterNodeArguments);
            nodes.add(node);
            node.start();
        }
        List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        run(command);
        RedisTopology.await(
                "cluster_state:ok on every node with every node known", READY_TIMEOUT, this::allOk, this::clusterInfos);
        // a replica that never synced would not stand for election: wait for every link
        RedisTopology.await(
                "every replica linked to its master",
                READY_TIMEOUT,
                () -> masters().size() == masters && nodes.stream().allMatch(RedisClusterExtension::isMasterOrLinked),
                this::clusterInfos);
    }

    private static boolean isMasterOrLinked(RedisServerProcess node) {
        try (Jedis jedis = RedisTopology.probe(new HostAndPort(node.host(), node.port()))) {
            String replication = jedis.info("replication");
            return replication.contains("role:master") || replication.contains("master_link_status:up");
        }
    }

    private boolean allOk() {
        int expected = nodes.size();
        int slotsCovered = 0;
        for (RedisServerProcess node : nodes) {
            if (!node.isRunning()) {
                expected--;
                continue;
            }
            try (Jedis jedis = RedisTopology.probe(new HostAndPort(node.host(), node.port()))) {
                String info = jedis.clusterInfo();
                if (!info.contains("cluster_state:ok")) {
                    return false;
                }
                slotsCovered = Math.max(slotsCovered, field(info, "cluster_slots_ok"));
                if (field(info, "cluster_known_nodes") < expected) {
                    return false;
                }
            }
        }
        return slotsCovered == SLOTS;
    }

    private String clusterInfos() {
        StringBuilder all = new StringBuilder();
        for (RedisServerProcess node : nodes) {
            all.append('\n').append(node.port()).append(": ");
            if (!node.isRunning()) {
                all.append("(down)");
                continue;
            }
            try (Jedis jedis = RedisTopology.probe(new HostAndPort(node.host(), node.port()))) {
                all.append(jedis.clusterInfo()
                        .lines()
                        .filter(line -> line.startsWith("cluster_state")
                                || line.startsWith("cluster_slots_ok")
                                || line.startsWith("cluster_known_nodes"))
                        .collect(Collectors.joining(" ")));
            } catch (RuntimeException e) {
                all.append(e);
            }
        }
        return all.toString();
    }

    private static int field(String info, String name) {
        return info.lines()
                .filter(line -> line.startsWith(name + ":"))
                .mapToInt(line ->
                        Integer.parseInt(line.substring(name.length() + 1).trim()))
                .findFirst()
                .orElse(-1);
    }

    private static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (var in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the cluster", e);
        }
    }

    private static List<String> clusterNodeArguments(Path dir, int port) {
        return List.of(
                "--port",
                Integer.toString(port),
                "--bind",
                RedisServerProcess.HOST,
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                dir.resolve("nodes.conf").toString(),
                "--cluster-node-timeout",
                Long.toString(NODE_TIMEOUT.toMillis()),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no");
    }

    private RedisServerProcess processAt(HostAndPort address) {
        return nodes.stream()
                .filter(node -> node.port() == address.getPort())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of this cluster at " + address));
    }

    private List<RedisServerProcess> running() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("RedisClusterExtension has no cluster: register it on a static field"
                    + " with @RegisterExtension and use it within the test class");
        }
        return nodes;
    }

    private void close() {
        nodes.forEach(RedisServerProcess::close);
        nodes.clear();
    }
}
