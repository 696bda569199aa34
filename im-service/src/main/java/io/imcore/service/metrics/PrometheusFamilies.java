package io.imcore.service.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own metrics ({@code im.*} of the Dropwizard registry) as Prometheus families with help texts, read
 * at scrape time. Where the Dropwizard name holds a value (a partition, a close code, an envelope type), the
 * family has a label instead: {@code im.cluster.partition.0.connections} is
 * {@code im_cluster_partition_connections{partition="0"}}, {@code im.connections.closed.1008} is
 * {@code im_connections_closed_total{code="1008"}}, {@code im.envelopes.received.msg} is
 * {@code im_envelopes_received_total{type="msg"}}, {@code im.upgrades.refused.redis-unreachable} is
 * {@code im_upgrades_refused_total{reason="redis-unreachable"}}. Other names are the Dropwizard name with dots as underscores;
 * counters and meters are counters ({@code _total}), gauges gauges, timers summaries in seconds, as the
 * Dropwizard bridge exports the rest. The Dropwizard JSON ({@code /metrics}) is not affected.
 */
final class PrometheusFamilies implements MultiCollector {
    /** The Dropwizard names this collector exports; the bridge exports every other. */
    static final String PREFIX = "im.";

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private static final List<Labelled> LABELLED = List.of(
            new Labelled(
                    Pattern.compile("im\\.cluster\\.partition\\.(\\d+)\\.connections"),
                    "im_cluster_partition_connections",
                    "partition"),
            new Labelled(
                    Pattern.compile("im\\.cluster\\.partition\\.(\\d+)\\.alive"),
                    "im_cluster_partition_alive",
                    "partition"),
            new Labelled(Pattern.compile("im\\.connections\\.closed\\.(\\d+)"), "im_connections_closed", "code"),
            new Labelled(Pattern.compile("im\\.envelopes\\.received\\.(.+)"), "im_envelopes_received", "type"),
            new Labelled(Pattern.compile("im\\.streams\\.(inbox|broadcast)\\.lag\\.ms"), "im_streams_lag_ms", "feed"),
            new Labelled(
                    Pattern.compile("im\\.streams\\.(inbox|broadcast)\\.lag\\.entries"),
                    "im_streams_lag_entries",
                    "feed"),
            new Labelled(Pattern.compile("im\\.streams\\.(inbox|broadcast)\\.length"), "im_streams_length", "feed"),
            new Labelled(Pattern.compile("im\\.streams\\.(inbox|broadcast)\\.gaps"), "im_streams_gaps", "feed"),
            new Labelled(
                    Pattern.compile("im\\.streams\\.(inbox|broadcast)\\.entriesPerRead"),
                    "im_streams_entries_per_read",
                    "feed"),
            new Labelled(
                    Pattern.compile("im\\.sessions\\.resume\\.failed\\.(.+)"), "im_sessions_resume_failed", "reason"),
            new Labelled(Pattern.compile("im\\.upgrades\\.refused\\.(.+)"), "im_upgrades_refused", "reason"));

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("im_connections", "WebSocket connections on this node"),
            Map.entry("im_clients_online", "Clients with at least one connection on this node"),
            Map.entry("im_channels_local", "Channels with members connected to this node"),
            Map.entry(
                    "im_cluster_partition_connections",
                    "Connections of the node at index 'partition' of"
                            + " cluster.servers, as written in its lease entry; 0 while its lease is not alive"),
            Map.entry(
                    "im_cluster_partition_alive",
                    "1 while the lease of the node at index 'partition' of" + " cluster.servers is alive, else 0"),
            Map.entry(
                    "im_cluster_nodes_alive",
                    "Nodes of cluster.servers (without one: of the nodes hash) whose" + " lease is alive"),
            Map.entry("im_cluster_connections", "Connections of the whole cluster: the sum of the partitions'"),
            Map.entry("im_cluster_members", "Members as this node sees them: alive, allowed and not leaving nodes"),
            Map.entry(
                    "im_cluster_share",
                    "This node's share of clients: the fraction of 10,000 sampled ids whose" + " home it is"),
            Map.entry("im_membership_changes", "Changes of the members this node saw"),
            Map.entry(
                    "im_cluster_conflicts",
                    "Configuration drift: disagreements of other nodes' leases with this node's routing rule or"
                            + " allow-list; 0 when none"),
            Map.entry("im_cluster_sweeps", "Other nodes this node swept as dead (lease expired)"),
            Map.entry(
                    "im_cluster_self_heals",
                    "Times this node found it had been swept while alive and re-registered its clients"),
            Map.entry(
                    "im_clients_moved_out",
                    "Clients this node closed with 1001 because a joining node became" + " their home"),
            Map.entry(
                    "im_envelopes_forwarded",
                    "Clients an inbox envelope was forwarded for, once, to the node they" + " are connected to"),
            Map.entry("im_outbound_queue_depth", "Frames waiting to be written, all connections of this node"),
            Map.entry("im_outbound_queue_depth_max", "Frames waiting on the fullest single connection of this node"),
            Map.entry("im_envelopes_received", "Envelopes received from Redis, by type"),
            Map.entry(
                    "im_envelopes_invalid",
                    "Envelopes ignored as malformed, of another version or of an" + " unknown type"),
            Map.entry("im_frames_written", "Text frames written to terminals, every kind"),
            Map.entry("im_messages_delivered", "msg and chan frames written to terminals (broadcasts included)"),
            Map.entry("im_messages_dropped", "Messages or receipts whose receiver had no connection on this node"),
            Map.entry("im_receipts_delivered", "Receipts decided on this node with status delivered"),
            Map.entry("im_receipts_offline", "Receipts decided on this node with status offline"),
            Map.entry("im_frames_errors", "error frames sent to terminals"),
            Map.entry("im_connections_slow", "Connections closed as slow consumers (close codes 4000 and 4001)"),
            Map.entry(
                    "im_connections_closed",
                    "WebSocket connections closed, by close code (the node's closes" + " and the terminals' own)"),
            Map.entry(
                    "im_delivery_latency",
                    "Seconds from the publisher's ts to the frame written (includes the"
                            + " clock skew between publisher and node)"),
            Map.entry(
                    "im_redis_commands_failed",
                    "Failed Redis commands: token checks, connects, closes, lease" + " refresh and sweep, admin tasks"),
            Map.entry(
                    "im_redis_publish_failed",
                    "Asynchronous publishes (receipts) that failed or found the" + " publish queue full"),
            Map.entry("im_redis_subscriber_reconnects", "Reconnects of the node's Redis stream reader"),
            Map.entry(
                    "im_receipts_duplicate",
                    "Second copies of a receipt dropped by the sender's node (a retried"
                            + " receipt XADD whose first answer was lost)"),
            Map.entry(
                    "im_streams_lag_ms",
                    "Milliseconds between the newest entry of a feed and the reader's position," + " by feed"),
            Map.entry("im_streams_lag_entries", "Entries of a feed not read yet (-1 where Redis cannot tell), by feed"),
            Map.entry("im_streams_length", "Entries retained in a feed's stream, by feed"),
            Map.entry("im_streams_gaps", "Gaps detected: entries removed before the reader read them, by feed"),
            Map.entry("im_streams_entries_per_read", "Entries taken by one XREAD, by feed"),
            Map.entry("im_sessions", "Client sessions on this node (connected or in their resume window)"),
            Map.entry("im_sessions_window", "Client sessions waiting in their resume window, without a connection"),
            Map.entry(
                    "im_sessions_grace",
                    "Clients whose last connection closed within the offline delay: online, no offline event yet"),
            Map.entry("im_sessions_buffer_bytes", "UTF-8 bytes of unacked frames kept for clients in acks mode"),
            Map.entry("im_sessions_resumed", "Resumes that replayed every missed frame"),
            Map.entry("im_sessions_resume_failed", "Resumes answered resumed:false, by reason"),
            Map.entry("im_frames_replayed", "Frames sent again on a resume"),
            Map.entry("im_acks", "Acks taken from terminals"),
            Map.entry("im_acks_invalid", "Acks refused with an invalid-ack error frame"),
            Map.entry(
                    "im_upgrades_refused",
                    "WebSocket upgrades refused with 503 for Redis, by reason: redis-unreachable (Redis not reached"
                            + " or not answering), redis-pool-exhausted (no pooled connection free within"
                            + " redis.poolWait)"));

    private final MetricRegistry registry;

    PrometheusFamilies(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        new TreeMap<>(registry.getMetrics()).forEach((name, metric) -> {
            if (name.startsWith(PREFIX)) {
                add(families, name, metric);
            }
        });
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        families.values().forEach(family -> snapshots.metricSnapshot(family.build()));
        return snapshots.build();
    }

    private static void add(Map<String, Family> families, String dropwizardName, Metric metric) {
        String familyName = PrometheusNaming.sanitizeMetricName(dropwizardName.replace('.', '_'));
        Labels labels = Labels.EMPTY;
        for (Labelled labelled : LABELLED) {
            Matcher matcher = labelled.pattern.matcher(dropwizardName);
            if (matcher.matches()) {
                familyName = labelled.family;
                labels = Labels.of(labelled.label, matcher.group(1));
                break;
            }
        }
        Kind kind = Kind.of(metric);
        if (kind == null) {
            return;
        }
        Family family = families.computeIfAbsent(
                familyName + "/" + kind, key -> new Family(key.substring(0, key.indexOf('/')), kind, dropwizardName));
        family.add(labels, metric);
    }

    private enum Kind {
        GAUGE,
        COUNTER,
        SUMMARY;

        static Kind of(Metric metric) {
            if (metric instanceof Gauge<?>) {
                return GAUGE;
            }
            if (metric instanceof Counter || metric instanceof Meter) {
                return COUNTER;
            }
            if (metric instanceof Timer || metric instanceof Histogram) {
                return SUMMARY;
            }
            return null;
        }
    }

    private record Labelled(Pattern pattern, String family, String label) {}

    /** The data points of one family, collected before its snapshot is built. */
    private static final class Family {
        private final String name;
        private final Kind kind;
        private final String help;
        private final List<GaugeSnapshot.GaugeDataPointSnapshot> gauges = new ArrayList<>();
        private final List<CounterSnapshot.CounterDataPointSnapshot> counters = new ArrayList<>();
        private final List<SummarySnapshot.SummaryDataPointSnapshot> summaries = new ArrayList<>();

        Family(String name, Kind kind, String dropwizardName) {
            this.name = name;
            this.kind = kind;
            this.help = HELP.getOrDefault(name, "ImCore metric " + dropwizardName);
        }

        void add(Labels labels, Metric metric) {
            switch (kind) {
                case GAUGE -> {
                    Double value = gaugeValue((Gauge<?>) metric);
                    if (value != null) {
                        gauges.add(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .labels(labels)
                                .value(value)
                                .build());
                    }
                }
                case COUNTER -> {
                    long count = metric instanceof Counter counter ? counter.getCount() : ((Meter) metric).getCount();
                    counters.add(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(labels)
                            .value(count)
                            .build());
                }
                case SUMMARY -> {
                    boolean timer = metric instanceof Timer;
                    Snapshot snapshot = timer ? ((Timer) metric).getSnapshot() : ((Histogram) metric).getSnapshot();
                    long count = timer ? ((Timer) metric).getCount() : ((Histogram) metric).getCount();
                    double factor = timer ? 1 / NANOS_PER_SECOND : 1;
                    summaries.add(SummarySnapshot.SummaryDataPointSnapshot.builder()
                            .labels(labels)
                            .quantiles(quantiles(snapshot, factor))
                            .count(count)
                            .build());
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }

        MetricSnapshot build() {
            return switch (kind) {
                case GAUGE -> new GaugeSnapshot(new MetricMetadata(name, help), gauges);
                case COUNTER -> new CounterSnapshot(new MetricMetadata(name, help), counters);
                case SUMMARY -> new SummarySnapshot(new MetricMetadata(name, help), summaries);
            };
        }

        private static Double gaugeValue(Gauge<?> gauge) {
            Object value = gauge.getValue();
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            if (value instanceof Boolean bool) {
                return bool ? 1.0 : 0.0;
            }
            return null;
        }

        private static Quantiles quantiles(Snapshot snapshot, double factor) {
            return Quantiles.builder()
                    .quantile(0.5, snapshot.getMedian() * factor)
                    .quantile(0.75, snapshot.get75thPercentile() * factor)
                    .quantile(0.95, snapshot.get95thPercentile() * factor)
                    .quantile(0.98, snapshot.get98thPercentile() * factor)
                    .quantile(0.99, snapshot.get99thPercentile() * factor)
                    .quantile(0.999, snapshot.get999thPercentile() * factor)
                    .build();
        }
    }
}
