package io.imcore.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.service.ImServiceConfiguration;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.TestNodes;
import io.imcore.service.support.TestTerminal;
import io.imcore.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Connections per partition across a two-node cluster: each node's {@code /metrics} and {@code /prometheus}
 * show both partitions, read from the {@code nodes} entries; scraping never sends a command to Redis.
 */
class ClusterMetricsIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(2);

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE_0 = CLUSTER.node(0, REDIS);

    @RegisterExtension
    @Order(3)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE_1 = CLUSTER.node(1, REDIS);

    static ImClient client;
    static RedisClient redis;
    static final List<TestTerminal> TERMINALS = new ArrayList<>();

    @BeforeAll
    static void clients() {
        client = CLUSTER.client(REDIS);
        redis = REDIS.newJedis();
    }

    @AfterAll
    static void close() {
        TERMINALS.forEach(TestTerminal::close);
        client.close();
        redis.close();
    }

    @Test
    void everyNodeShowsTheConnectionsOfEveryPartitionWithoutAskingRedisPerScrape() {
        for (String id : List.of(CLUSTER.clientIdOn(0, "p0a"), CLUSTER.clientIdOn(0, "p0b"),
                CLUSTER.clientIdOn(1, "p1a"))) {
            TERMINALS.add(TestTerminal.connectReady(client.prevConnectServer(id, "")));
        }
        TERMINALS.add(TestTerminal.connectReady(client.prevConnectServer(CLUSTER.clientIdOn(0, "p0a"), "")));

        for (AdminPort admin : List.of(new AdminPort(NODE_0.getAdminPort()), new AdminPort(NODE_1.getAdminPort()))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(admin.metric("im.cluster.partition.0.connections")).isEqualTo(3);
                assertThat(admin.metric("im.cluster.partition.1.connections")).isEqualTo(1);
                assertThat(admin.metric("im.cluster.partition.0.alive")).isEqualTo(1);
                assertThat(admin.metric("im.cluster.partition.1.alive")).isEqualTo(1);
                assertThat(admin.metric("im.cluster.nodes.alive")).isEqualTo(2);
                assertThat(admin.metric("im.cluster.connections")).isEqualTo(4);
            });
            Map<String, Double> prometheus = admin.prometheus();
            assertThat(prometheus.get("im_cluster_partition_connections{partition=\"0\"}")).isEqualTo(3.0);
            assertThat(prometheus.get("im_cluster_partition_connections{partition=\"1\"}")).isEqualTo(1.0);
            assertThat(prometheus.get("im_cluster_partition_alive{partition=\"0\"}")).isEqualTo(1.0);
            assertThat(prometheus.get("im_cluster_partition_alive{partition=\"1\"}")).isEqualTo(1.0);
            assertThat(prometheus.get("im_cluster_nodes_alive")).isEqualTo(2.0);
            assertThat(prometheus).doesNotContainKey("im_cluster_partition_0_connections");
        }
        assertThat(new AdminPort(NODE_0.getAdminPort()).metric("im.connections")).isEqualTo(3);
        assertThat(new AdminPort(NODE_1.getAdminPort()).metric("im.connections")).isEqualTo(1);

        // 40 scrapes of both endpoints on both nodes: the only HGETALLs are the lease keepers' (1 per node per s)
        AdminPort admin0 = new AdminPort(NODE_0.getAdminPort());
        AdminPort admin1 = new AdminPort(NODE_1.getAdminPort());
        long before = hgetallCalls();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            admin0.metrics();
            admin0.prometheus();
            admin1.metrics();
            admin1.prometheus();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long calls = hgetallCalls() - before;
        assertThat(calls).as("HGETALL calls during %.2f s of scraping", seconds)
                .isLessThanOrEqualTo(2 * ((long) Math.ceil(seconds) + 1));
    }

    private static long hgetallCalls() {
        Matcher matcher = Pattern.compile("cmdstat_hgetall:calls=(\\d+)").matcher(redis.info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
