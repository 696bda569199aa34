package io.imcore.service.presence;

import io.dropwizard.lifecycle.Managed;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.config.Cluster;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's entry in {@code nodes} fresh and sweeps the state of dead nodes (PROTOCOL.md section 4):
 * one live node claims a dead node, removes its keys, memberships and publishes one {@code offline} event
 * (reason {@code node-dead}) per client. At start it sweeps what an earlier run of this node left behind.
 * Each refresh also reads the whole {@code nodes} hash once into the {@link ClusterView}.
 *
 * <p>A refresh and {@link #leave()} never overlap, so once this node has left, no refresh writes its entry again.
 */
public final class LeaseKeeper implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final RedisPresence presence;
    private final Cluster cluster;
    private final boolean keepOnDisconnect;
    private final ScheduledExecutorService scheduler;
    private final IntSupplier connections;
    private final ClusterView view;
    private final Runnable onRedisFailure;
    private final long startedAt = System.currentTimeMillis();
    private volatile long lastRefreshAt;
    private boolean left;
    private ScheduledFuture<?> task;

    /**
     * @param connections    this node's live connections, written in its lease
     * @param view           receives every read of {@code nodes}
     * @param onRedisFailure told when a refresh or sweep failed on a Redis error
     */
    public LeaseKeeper(RedisPresence presence, Cluster cluster, boolean keepOnDisconnect,
                       ScheduledExecutorService scheduler, IntSupplier connections, ClusterView view,
                       Runnable onRedisFailure) {
        this.presence = presence;
        this.cluster = cluster;
        this.keepOnDisconnect = keepOnDisconnect;
        this.scheduler = scheduler;
        this.connections = connections;
        this.view = view;
        this.onRedisFailure = onRedisFailure;
    }

    @Override
    public synchronized void start() {
        if (presence.hasLeftovers()) {
            LOG.info("node={} found state of an earlier run; sweeping it", cluster.self());
            sweep(cluster.self());
        }
        refresh();
        readLeases();
        long period = cluster.refreshInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        leave();
    }

    /**
     * Stops refreshing and removes this node's {@code nodes} entry and online hash: the node has left the
     * cluster (a clean stop, or the end of a {@code drain}). Idempotent.
     */
    public synchronized void leave() {
        left = true;
        if (task != null) {
            task.cancel(false);
        }
        view.remove(cluster.self());
        try {
            presence.removeNode(cluster.self());
        } catch (RuntimeException e) {
            onRedisFailure.run();
            LOG.warn("removing node={} from Redis failed: {}", cluster.self(), e.toString());
        }
    }

    /** When the lease was last written, epoch ms; 0 before the first success. */
    public long lastRefreshAt() {
        return lastRefreshAt;
    }

    private synchronized void tick() {
        if (left) {
            return;
        }
        try {
            refresh();
            sweepDeadNodes();
        } catch (RuntimeException e) {
            onRedisFailure.run();
            LOG.warn("lease refresh failed: {}", e.toString());
        }
    }

    private void refresh() {
        long now = System.currentTimeMillis();
        presence.refreshLease(new NodeLease(startedAt, now, connections.getAsInt()));
        lastRefreshAt = now;
    }

    private Map<String, NodeLease> readLeases() {
        long now = System.currentTimeMillis();
        Map<String, NodeLease> leases = presence.leases();
        view.update(leases, now);
        return leases;
    }

    void sweepDeadNodes() {
        long now = System.currentTimeMillis();
        readLeases().forEach((entry, lease) -> {
            if (!entry.equals(cluster.self()) && !lease.isAlive(now, cluster.lease().toMillis())) {
                sweep(entry);
            }
        });
    }

    private void sweep(String entry) {
        if (!presence.claimSweep(entry)) {
            return;
        }
        int swept = 0;
        for (String clientId : presence.onlineClientsOf(entry)) {
            if (!keepOnDisconnect) {
                presence.leaveAllChannels(clientId);
            }
            try {
                presence.publish(new PresenceEvent(PresenceEvent.OFFLINE, clientId, "", entry,
                        PresenceEvent.REASON_NODE_DEAD, System.currentTimeMillis()));
            } catch (IllegalArgumentException invalidId) {
                LOG.warn("skipped an invalid client id in the online hash of node={}", entry);
            }
            swept++;
        }
        presence.removeNode(entry);
        LOG.info("swept dead node={}: {} clients offline", entry, swept);
    }
}
