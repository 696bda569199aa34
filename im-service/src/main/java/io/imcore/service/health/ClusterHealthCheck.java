package io.imcore.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.imcore.protocol.NodeLease;
import io.imcore.service.config.Cluster;
import io.imcore.service.presence.ClusterView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * {@code cluster}: healthy while {@code self} is in the allow-list {@code servers} (when there is one), the node
 * accepts connections, its lease in {@code nodes} was refreshed within two refresh intervals (a node that misses
 * refreshes is about to be counted dead by the others) and no member's lease names another routing rule or
 * allow-list than this node's (configuration drift: clients would be sent to a node that refuses them). Lists the other nodes that are down (lease expired, or no entry at all)
 * from the lease keeper's last read; those make the message, not this node, unhealthy. Never touches Redis.
 */
public final class ClusterHealthCheck extends HealthCheck {
    private final Cluster cluster;
    private final LongSupplier lastRefreshAt;
    private final ClusterView view;
    private final BooleanSupplier shuttingDown;
    private final Clock clock;

    /**
     * @param lastRefreshAt when this node's lease was last written, epoch ms (0: never)
     * @param shuttingDown  true once the node is draining or stopping
     */
    public ClusterHealthCheck(
            Cluster cluster, LongSupplier lastRefreshAt, ClusterView view, BooleanSupplier shuttingDown) {
        this(cluster, lastRefreshAt, view, shuttingDown, Clock.systemUTC());
    }

    ClusterHealthCheck(
            Cluster cluster, LongSupplier lastRefreshAt, ClusterView view, BooleanSupplier shuttingDown, Clock clock) {
        this.cluster = cluster;
        this.lastRefreshAt = lastRefreshAt;
        this.view = view;
        this.shuttingDown = shuttingDown;
        this.clock = clock;
    }

    @Override
    protected Result check() {
        String self = cluster.self();
        if (cluster.servers() != null && !cluster.servers().contains(self)) {
            return Result.unhealthy(
                    "self %s is not one of servers %s", self, cluster.servers().entries());
        }
        if (shuttingDown.getAsBoolean()) {
            return Result.unhealthy("node %s is draining or shutting down: it accepts no connections", self);
        }
        long now = clock.millis();
        List<String> down = down(now);
        long last = lastRefreshAt.getAsLong();
        if (last == 0) {
            return result(false, "lease of %s was never written; down: %s", down, self, down);
        }
        long age = now - last;
        long limit = cluster.refreshInterval().toMillis() * 2;
        if (age > limit) {
            return result(
                    false,
                    "lease of %s last refreshed %d ms ago (limit %d ms); down: %s",
                    down,
                    self,
                    age,
                    limit,
                    down);
        }
        List<String> conflicts = view.membership().conflicts();
        if (!conflicts.isEmpty()) {
            return result(false, "configuration drift: %s; down: %s", down, String.join("; ", conflicts), down);
        }
        int total = candidates().size();
        int alive = total - down.size();
        return result(
                true,
                "lease of %s refreshed %d ms ago; %d of %d nodes alive; members: %s; down: %s",
                down,
                self,
                age,
                alive,
                total,
                view.membership().members(),
                down);
    }

    /** The allow-list, or without one every entry of {@code nodes} and self. */
    private List<String> candidates() {
        if (cluster.servers() != null) {
            return cluster.servers().entries();
        }
        java.util.TreeSet<String> entries =
                new java.util.TreeSet<>(view.snapshot().leases().keySet());
        entries.add(cluster.self());
        return List.copyOf(entries);
    }

    /** Entries of servers other than self whose lease is expired or missing, with why. */
    private List<String> down(long now) {
        ClusterView.Snapshot snapshot = view.snapshot();
        long lease = cluster.lease().toMillis();
        List<String> down = new ArrayList<>();
        for (String entry : candidates()) {
            if (entry.equals(cluster.self())) {
                continue;
            }
            NodeLease seen = snapshot.leases().get(entry);
            if (seen == null) {
                down.add(entry + " (no entry in nodes)");
            } else if (!seen.isAlive(now, lease)) {
                down.add(entry + " (seen " + (now - seen.seenAt()) / 1000 + " s ago)");
            }
        }
        return down;
    }

    private static Result result(boolean healthy, String format, List<String> down, Object... args) {
        ResultBuilder builder =
                healthy ? Result.builder().healthy() : Result.builder().unhealthy();
        return builder.withMessage(format, args).withDetail("down", down).build();
    }
}
