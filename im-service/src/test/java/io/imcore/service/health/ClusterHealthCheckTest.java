package io.imcore.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck.Result;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import io.imcore.protocol.Servers;
import io.imcore.service.config.Cluster;
import io.imcore.service.presence.ClusterView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The {@code cluster} check's decisions, on a fixed clock (the integration test covers it on a real node). */
class ClusterHealthCheckTest {
    static final long NOW = 1_000_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    static final Servers SERVERS = Servers.of(List.of("a:1", "b:1", "c:1"));
    static final Cluster CLUSTER = new Cluster(SERVERS, "a:1", Duration.ofSeconds(15), Duration.ofSeconds(5));

    final AtomicLong lastRefresh = new AtomicLong(NOW - 1_000);
    final AtomicBoolean shuttingDown = new AtomicBoolean();
    final ClusterView view = new ClusterView(List.of(), Duration.ofSeconds(15), CLOCK);

    ClusterHealthCheck check(Cluster cluster) {
        return new ClusterHealthCheck(cluster, lastRefresh::get, view, shuttingDown::get, CLOCK);
    }

    @Test
    void healthyWithAFreshLeaseAndListsDeadAndAbsentNodes() {
        view.update(Map.of("a:1", lease(NOW - 1_000, 3), "b:1", lease(NOW - 20_000, 5)), NOW);
        Result result = check(CLUSTER).execute();
        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage())
                .isEqualTo("lease of a:1 refreshed 1000 ms ago; 1 of 3 nodes alive; "
                        + "members: [a:1]; down: [b:1 (seen 20 s ago), c:1 (no entry in nodes)]");
        assertThat(result.getDetails())
                .containsEntry("down", List.of("b:1 (seen 20 s ago)", "c:1 (no entry in nodes)"));
    }

    @Test
    void unhealthyWhenTheLeaseWasNotRefreshedForTwoIntervals() {
        lastRefresh.set(NOW - 10_001);
        Result result = check(CLUSTER).execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).startsWith("lease of a:1 last refreshed 10001 ms ago (limit 10000 ms)");
    }

    @Test
    void unhealthyBeforeTheFirstRefresh() {
        lastRefresh.set(0);
        assertThat(check(CLUSTER).execute().getMessage()).startsWith("lease of a:1 was never written");
    }

    @Test
    void unhealthyWhileDrainingOrShuttingDown() {
        shuttingDown.set(true);
        Result result = check(CLUSTER).execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo("node a:1 is draining or shutting down: it accepts no connections");
    }

    @Test
    void unhealthyWhenSelfIsNotInServers() {
        Cluster stray = new Cluster(SERVERS, "z:9", Duration.ofSeconds(15), Duration.ofSeconds(5));
        Result result = check(stray).execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo("self z:9 is not one of servers [a:1, b:1, c:1]");
    }

    static NodeLease lease(long seenAt, long connections) {
        return new NodeLease(0, seenAt, connections, Rendezvous.NAME, "", false);
    }
}
