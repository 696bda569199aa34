package io.imcore.service.support;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.service.ImServiceApplication;
import io.imcore.service.ImServiceConfiguration;
import io.imcore.testkit.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds real nodes ({@link DropwizardAppExtension}) and clients for a cluster whose entries are
 * {@code 127.0.0.1:<free port>}, all on the test's own Redis.
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final RedisExtension REDIS = new RedisExtension();
 * static final TestNodes CLUSTER = TestNodes.ofSize(2);
 * @RegisterExtension @Order(2) static final DropwizardAppExtension<ImServiceConfiguration> A = CLUSTER.node(0, REDIS);
 * }</pre>
 */
public final class TestNodes {
    private final List<Integer> ports;
    private final List<String> servers;

    private TestNodes(List<Integer> ports) {
        this.ports = ports;
        this.servers = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    }

    /** A cluster of {@code size} nodes on free ports. */
    public static TestNodes ofSize(int size) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(FreePorts.next());
        }
        return new TestNodes(ports);
    }

    public List<String> servers() {
        return servers;
    }

    public String entry(int index) {
        return servers.get(index);
    }

    /** The application port of node {@code index}. */
    public int port(int index) {
        return ports.get(index);
    }

    /** The app of node {@code index}, with {@code extra} overrides after the cluster's own. */
    public DropwizardAppExtension<ImServiceConfiguration> node(int index, RedisExtension redis,
                                                               ConfigOverride... extra) {
        return node("test-node.yml", index, redis, extra);
    }

    /** The app of node {@code index} configured by the test resource {@code yaml}, then the overrides. */
    public DropwizardAppExtension<ImServiceConfiguration> node(String yaml, int index, RedisExtension redis,
                                                               ConfigOverride... extra) {
        ConfigOverride[] overrides = Stream.concat(Stream.of(
                        ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(ports.get(index))),
                        ConfigOverride.config("cluster.servers", String.join(",", servers)),
                        ConfigOverride.config("cluster.self", servers.get(index)),
                        ConfigOverride.config("redis.uri", redis::uri)),
                Stream.of(extra)).toArray(ConfigOverride[]::new);
        return new DropwizardAppExtension<>(ImServiceApplication.class,
                ResourceHelpers.resourceFilePath(yaml), overrides);
    }

    /** A business-side client for this cluster; the caller closes it. */
    public ImClient client(RedisExtension redis) {
        return ImClient.create(ImClientOptions.builder().redisUri(redis.uri()).servers(servers).build());
    }

    /** A client id of the partition of node {@code index}, made from {@code base}. */
    public String clientIdOn(int index, String base) {
        for (int i = 0; ; i++) {
            String id = base + "-" + i;
            if (io.imcore.protocol.Partitioner.index(id, servers.size()) == index) {
                return id;
            }
        }
    }
}
