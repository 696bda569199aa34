package io.imcore.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.NodeCluster;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    @Test
    void everyNodeMetricTheGrafanaDashboardQueriesIsInPrometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(Files.readString(Path.of("..", "ops", "grafana", "im-service-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            queried.addAll(metricNames(expr.asText()));
        }
        for (JsonNode query : dashboard.path("templating").findValues("query")) {
            queried.addAll(metricNames(
                    query.isTextual() ? query.asText() : query.path("query").asText()));
        }
        assertThat(queried).contains("im_cluster_members", "im_cluster_sweeps_total", "im_cluster_conflicts");

        Set<String> exported = new TreeSet<>();
        for (String line : CLUSTER.admin().prometheusText().split("\n")) {
            Matcher name = Pattern.compile("^(im_[a-z0-9_]+)").matcher(line);
            if (name.find()) {
                exported.add(name.group(1));
            }
        }
        assertThat(exported).as("the im_* samples of /prometheus").containsAll(queried);
    }

    private static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\b(im_[a-z0-9_]+)").matcher(promql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static long hgetallCalls() {
        Matcher matcher = Pattern.compile("cmdstat_hgetall:calls=(\\d+)")
                .matcher(CLUSTER.redis().info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
