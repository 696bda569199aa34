package io.imcore.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.service.support.AdminPort;
import io.imcore.service.support.NodeCluster;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections per partition across a two-node cluster: each node's {@code /metrics} and {@code /prometheus}
 * show both partitions, read from the {@code nodes} entries; scraping never sends a command to Redis.
 */
class ClusterMetricsIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2);

    static final List<TestTerminal> TERMINALS = new ArrayList<>();

    @AfterAll
    static void close() {
        TERMINALS.forEach(TestTerminal::close);
    }

    @Test
    void everyNodeShowsTheConnectionsOfEveryPartitionWithoutAskingRedisPerScrape() {
        for (String id :
                List.of(CLUSTER.clientIdOn(0, "p0a"), CLUSTER.clientIdOn(0, "p0b"), CLUSTER.clientIdOn(1, "p1a"))) {
            TERMINALS.add(CLUSTER.connect(id, ""));
        }
        TERMINALS.add(CLUSTER.connect(CLUSTER.clientIdOn(0, "p0a"), ""));

        for (AdminPort admin : List.of(CLUSTER.admin(), CLUSTER.admin(1))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(admin.metric("im.cluster.partition.0.connections")).isEqualTo(3);
                assertThat(admin.metric("im.cluster.partition.1.connections")).isEqualTo(1);
                assertThat(admin.metric("im.cluster.partition.0.alive")).isEqualTo(1);
                assertThat(admin.metric("im.cluster.partition.1.alive")).isEqualTo(1);
                assertThat(admin.metric("im.cluster.nodes.alive")).isEqualTo(2);
                assertThat(admin.metric("im.cluster.connections")).isEqualTo(4);
            });
            Map<String, Double> prometheus = admin.prometheus();
            assertThat(prometheus.get("im_cluster_partition_connections{partition=\"0\"}"))
                    .isEqualTo(3.0);
            assertThat(prometheus.get("im_cluster_partition_connections{partition=\"1\"}"))
                    .isEqualTo(1.0);
            assertThat(prometheus.get("im_cluster_partition_alive{partition=\"0\"}"))
                    .isEqualTo(1.0);
            assertThat(prometheus.get("im_cluster_partition_alive{partition=\"1\"}"))
                    .isEqualTo(1.0);
            assertThat(prometheus.get("im_cluster_nodes_alive")).isEqualTo(2.0);
            assertThat(prometheus).doesNotContainKey("im_cluster_partition_0_connections");
        }
        assertThat(CLUSTER.admin().metric("im.connections")).isEqualTo(3);
        assertThat(CLUSTER.admin(1).metric("im.connections")).isEqualTo(1);

        // 40 scrapes of both endpoints on both nodes: the only HGETALLs are the lease keepers' (1 per node per s)
        AdminPort admin0 = CLUSTER.admin();
        AdminPort admin1 = CLUSTER.admin(1);
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
        assertThat(calls)
                .as("HGETALL calls during %.2f s of scraping", seconds)
                .isLessThanOrEqualTo(2 * ((long) Math.ceil(seconds) + 1));
    }

    private static long hgetallCalls() {
        Matcher matcher = Pattern.compile("cmdstat_hgetall:calls=(\\d+)")
                .matcher(CLUSTER.redis().info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
