package io.imcore.service.metrics;

import com.codahale.metrics.MetricRegistry;
import io.imcore.protocol.NodeLease;
import io.imcore.service.config.Cluster;
import io.imcore.service.presence.ClusterView;
import java.time.Clock;
import java.util.List;

/**
 * Gauges of the whole cluster, read from the {@code nodes} entries that the lease keeper copies into the
 * {@link ClusterView} once per refresh (never from Redis at scrape time), so every node shows every partition:
 * <ul>
 *   <li>{@code im.cluster.partition.<index>.connections}: connections of the node at that index of
 *       {@code servers}, 0 when its lease is not alive;</li>
 *   <li>{@code im.cluster.partition.<index>.alive}: 1 when its lease is alive, else 0;</li>
 *   <li>{@code im.cluster.nodes.alive} and {@code im.cluster.connections}: the sums;</li>
 *   <li>{@code im.cluster.members}, {@code im.cluster.share} (this node's share of clients) and
 *       {@code im.cluster.conflicts} (configuration drift: disagreements with other nodes' leases, 0 when none).</li>
 * </ul>
 */
public final class ClusterMetrics {
    private final Cluster cluster;
    private final ClusterView view;
    private final Clock clock;

    ClusterMetrics(Cluster cluster, ClusterView view, Clock clock) {
        this.cluster = cluster;
        this.view = view;
        this.clock = clock;
    }

    /** Registers the gauges of {@code cluster} in {@code registry}. */
    public static void register(MetricRegistry registry, Cluster cluster, ClusterView view) {
        new ClusterMetrics(cluster, view, Clock.systemUTC()).registerIn(registry);
    }

    void registerIn(MetricRegistry registry) {
        registry.registerGauge(
                "im.cluster.members", () -> cluster.membership().members().size());
        registry.registerGauge("im.cluster.share", this::share);
        registry.registerGauge(
                "im.cluster.conflicts", () -> cluster.membership().conflicts().size());
        if (cluster.servers() == null) {
            registry.registerGauge(
                    "im.cluster.nodes.alive",
                    () -> view.snapshot().leases().keySet().stream()
                            .filter(entry -> alive(entry) != null)
                            .count());
            registry.registerGauge(
                    "im.cluster.connections",
                    () -> view.snapshot().leases().keySet().stream()
                            .mapToLong(this::connections)
                            .sum());
            return;
        }
        List<String> entries = cluster.servers().entries();
        for (int index = 0; index < entries.size(); index++) {
            String entry = entries.get(index);
            registry.registerGauge("im.cluster.partition." + index + ".connections", () -> connections(entry));
            registry.registerGauge("im.cluster.partition." + index + ".alive", () -> alive(entry) == null ? 0 : 1);
        }
        registry.registerGauge(
                "im.cluster.nodes.alive",
                () -> entries.stream().filter(entry -> alive(entry) != null).count());
        registry.registerGauge(
                "im.cluster.connections",
                () -> entries.stream().mapToLong(this::connections).sum());
    }

    /** The fraction of {@link Shares#SAMPLE} sampled client ids whose home is this node under its view. */
    double share() {
        return Shares.of(cluster.membership()).getOrDefault(cluster.self(), 0.0);
    }

    long connections(String entry) {
        NodeLease lease = alive(entry);
        return lease == null ? 0 : lease.connections();
    }

    private NodeLease alive(String entry) {
        return view.snapshot().alive(entry, clock.millis(), cluster.lease().toMillis());
    }
}
