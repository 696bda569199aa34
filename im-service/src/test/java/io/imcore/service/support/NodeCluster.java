package io.imcore.service.support;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.protocol.Rendezvous;
import io.imcore.service.ImServiceApplication;
import io.imcore.service.ImServiceConfiguration;
import io.imcore.testkit.RedisExtension;
import io.imcore.testkit.TestTerminal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;

/**
 * The test fixture of the integration tests: the class's own Redis ({@link RedisExtension}), a cluster of real
 * nodes ({@link DropwizardAppExtension}, entries {@code 127.0.0.1:<free port>}) and what a test talks to them
 * with: an {@link ImClient}, a Jedis client, a {@link PresenceRecorder}, the admin port. Everything starts before
 * the class's first test and stops after its last, in reverse order.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NodeCluster CLUSTER = NodeCluster.singleNode().override("websocket.heartbeat", "1s").withEvents();
 *
 * @Test
 * void aTest() {
 *     try (TestTerminal alice = CLUSTER.connect("alice", "")) {
 *         CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, "alice");
 *     }
 * }
 * }</pre>
 *
 * <p>Other shapes: {@code ofSize(2)} runs two nodes; {@code ofSize(2).running(0)} runs node 0 only (node 1 is in
 * {@code cluster.servers} but down, or started by the test as a {@link #startProcess process});
 * {@code running()} runs none, for a test that {@link #startNode starts} and {@link #stopNode stops} them itself.
 */
public final class NodeCluster implements BeforeAllCallback, AfterAllCallback {
    private RedisExtension redisServer = new RedisExtension();
    private final List<Integer> ports;
    private final List<String> servers;
    private final List<DropwizardAppExtension<ImServiceConfiguration>> nodes;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private String yaml = "test-node.yml";
    private int[] running;
    private boolean recordEvents;
    private UnaryOperator<ImClientOptions.Builder> clientTweak = UnaryOperator.identity();

    private ImClientOptions clientOptions;
    private ImClient client;
    private RedisClient redis;
    private PresenceRecorder events;
    private String ownerId;

    private NodeCluster(int size) {
        this.ports = IntStream.range(0, size).mapToObj(i -> FreePorts.next()).toList();
        this.servers = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        this.nodes = new ArrayList<>(java.util.Collections.nCopies(size, null));
        this.running = IntStream.range(0, size).toArray();
    }

    /** One node. */
    public static NodeCluster singleNode() {
        return new NodeCluster(1);
    }

    /** {@code size} nodes, all running unless {@link #running} says otherwise. */
    public static NodeCluster ofSize(int size) {
        return new NodeCluster(size);
    }

    /** Sets {@code key} (a config path such as {@code websocket.heartbeat}) on every node this fixture starts. */
    public NodeCluster override(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** The test resource the nodes read their configuration from; {@code test-node.yml} by default. */
    public NodeCluster yaml(String resource) {
        this.yaml = resource;
        return this;
    }

    /** Runs only the nodes {@code indexes} (none: the test starts them); the others stay in the servers list. */
    public NodeCluster running(int... indexes) {
        this.running = indexes.clone();
        return this;
    }

    /** Runs a Redis that writes every command to its append-only file before answering (fsync always). */
    public NodeCluster withAppendOnlyRedis() {
        redisServer = RedisExtension.withAppendOnlyFile();
        return this;
    }

    /** Records the presence events from before the first test on: see {@link #events()}. */
    public NodeCluster withEvents() {
        this.recordEvents = true;
        return this;
    }

    /** Changes the options of {@link #client()} (timeouts, for instance) from the defaults for this cluster. */
    public NodeCluster clientOptions(UnaryOperator<ImClientOptions.Builder> tweak) {
        this.clientTweak = tweak;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (ownerId != null) { // a @Nested class: the cluster of the enclosing class serves it
            return;
        }
        ownerId = context.getUniqueId();
        redisServer.beforeAll(context);
        for (int index : running) {
            startNode(index);
        }
        clientOptions = clientTweak
                .apply(ImClientOptions.builder().redisUri(redisServer.uri()).servers(servers))
                .build();
        client = ImClient.create(clientOptions);
        redis = redisServer.newJedis();
        if (recordEvents) {
            events = PresenceRecorder.start(client);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!context.getUniqueId().equals(ownerId)) {
            return;
        }
        try {
            if (events != null) {
                events.close();
            }
            if (client != null) {
                client.close();
            }
            if (redis != null) {
                redis.close();
            }
            for (int index = nodes.size() - 1; index >= 0; index--) {
                stopNode(index);
            }
        } finally {
            redisServer.afterAll(context);
            ownerId = null;
        }
    }

    /** Starts node {@code index} in this JVM (again, on the same port) with the cluster's overrides, then {@code extra}. */
    public DropwizardAppExtension<ImServiceConfiguration> startNode(int index, ConfigOverride... extra)
            throws Exception {
        if (nodes.get(index) != null) {
            throw new IllegalStateException("node " + index + " runs already");
        }
        DropwizardAppExtension<ImServiceConfiguration> node = newNode(index, extra);
        node.before();
        nodes.set(index, node);
        return node;
    }

    /** Stops node {@code index} cleanly if it runs (its terminals are closed with 1001). */
    public void stopNode(int index) {
        DropwizardAppExtension<ImServiceConfiguration> node = nodes.set(index, null);
        if (node != null) {
            node.after();
        }
    }

    /**
     * Starts node {@code index} as a process of its own (to be killed or sent SIGTERM), with {@code overrides} (and
     * not the cluster's); the caller closes it.
     */
    public NodeProcess startProcess(int index, Map<String, String> overrides) {
        return NodeProcess.start(this, index, redisServer.uri(), overrides);
    }

    /** {@link #startProcess(int, Map)} with extra JVM options and another Redis, such as one with TLS. */
    public NodeProcess startProcess(
            int index, String redisUri, Map<String, String> overrides, List<String> jvmOptions) {
        return NodeProcess.start(this, index, redisUri, overrides, jvmOptions);
    }

    /** A new ConfigOverride per node: one remembers the system property it replaced, so two apps cannot share it. */
    private DropwizardAppExtension<ImServiceConfiguration> newNode(int index, ConfigOverride... extra) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(ports.get(index))),
                ConfigOverride.config("cluster.servers", String.join(",", servers)),
                ConfigOverride.config("cluster.self", servers.get(index)),
                ConfigOverride.config("redis.uri", redisServer::uri)));
        overrides.forEach((key, value) -> all.add(ConfigOverride.config(key, value)));
        all.addAll(Arrays.asList(extra));
        return new DropwizardAppExtension<>(
                ImServiceApplication.class, ResourceHelpers.resourceFilePath(yaml), all.toArray(ConfigOverride[]::new));
    }

    /** The running node {@code index}. */
    public DropwizardAppExtension<ImServiceConfiguration> node(int index) {
        DropwizardAppExtension<ImServiceConfiguration> node = nodes.get(index);
        if (node == null) {
            throw new IllegalStateException("node " + index + " does not run in this JVM");
        }
        return node;
    }

    /** The admin port of the running node {@code index}: tasks, health checks, metrics. */
    public AdminPort admin(int index) {
        return new AdminPort(node(index).getAdminPort());
    }

    /** The admin port of node 0. */
    public AdminPort admin() {
        return admin(0);
    }

    /** The class's own Redis server: its URI, {@code stop()} and {@code start()} for an outage. */
    public RedisExtension redisServer() {
        return redisServer;
    }

    /** A Jedis client of the class's Redis, closed after the class. */
    public RedisClient redis() {
        return redis;
    }

    /** The business-side client of this cluster, closed after the class. */
    public ImClient client() {
        return client;
    }

    /** The options {@link #client()} was made with. */
    public ImClientOptions clientOptions() {
        return clientOptions;
    }

    /** The presence events since before the first test; needs {@link #withEvents()}. */
    public PresenceRecorder events() {
        if (events == null) {
            throw new IllegalStateException("register the cluster withEvents() to record presence events");
        }
        return events;
    }

    /** A terminal of {@code clientId} connected through {@link ImClient#prevConnectServer}, past its hello. */
    public TestTerminal connect(String clientId, String metadata) {
        return TestTerminal.connectReady(client.prevConnectServer(clientId, metadata));
    }

    /** Every node's entry, as in {@code cluster.servers}. */
    public List<String> servers() {
        return servers;
    }

    /** The entry of node {@code index}, such as {@code 127.0.0.1:41234}. */
    public String entry(int index) {
        return servers.get(index);
    }

    /** The application port of node {@code index}. */
    public int port(int index) {
        return ports.get(index);
    }

    /** A client id whose home is node {@code index} while every node of the cluster is a member. */
    public String clientIdOn(int index, String base) {
        for (int i = 0; ; i++) {
            String id = base + "-" + i;
            if (Rendezvous.home(id, servers).equals(servers.get(index))) {
                return id;
            }
        }
    }
}
