package io.imcore.service.presence;

import com.codahale.metrics.Counter;
import io.dropwizard.lifecycle.Managed;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import io.imcore.redis.MembersFeed;
import io.imcore.service.config.Cluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's entry in {@code nodes} fresh, sweeps dead nodes ({@link DeadNodeSweeper}) and, after
 * Redis failed, has the node re-assert its state ({@link #resync()}). Each refresh also reads the whole
 * {@code nodes} hash once into the {@link ClusterView}.
 *
 * <p>A resync runs when the stream reader connected again after losing Redis, and, while a lease refresh or a
 * presence write has failed, every {@link #REPAIR_INTERVAL} until one succeeds. It tells apart a Redis that
 * restarted (its {@code run_id} changed: data may be lost, memberships are restored from memory) from one that
 * kept its data (memberships are reloaded from Redis, which got every join and leave meanwhile), and notices
 * when another node swept this one as dead while it was cut off (memberships are restored from memory and
 * its clients' online events published again).
 *
 * <p>Each refresh first checks that this node's entry is still there: a node that was stalled (GC pause,
 * {@code SIGSTOP}) longer than the lease may have been swept by another node meanwhile, its clients written
 * offline and their memberships deleted although their connections are still open here. Then it re-registers:
 * its lease, every client's online count, memberships and online event are written again from memory, and a
 * {@code join} is added to the {@code members} feed.
 *
 * <p>A refresh, a resync and {@link #leave()} never overlap, so once this node has left, nothing writes its
 * entry again. {@link #beginLeaving()} marks the lease {@code leaving} (no longer anyone's home) before a drain
 * or stop closes the connections, so their clients reconnect to their new homes.
 */
public final class LeaseKeeper implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    /** How often a failed refresh or presence write is retried. */
    static final Duration REPAIR_INTERVAL = Duration.ofSeconds(1);

    private final Presence presence;
    private final Cluster cluster;
    private final LocalState local;
    private final DeadNodeSweeper sweeper;
    private final ScheduledExecutorService scheduler;
    private final IntSupplier connections;
    private final ClusterView view;
    private final Runnable onRedisFailure;
    private final long startedAt = System.currentTimeMillis();
    private volatile long lastRefreshAt;
    private volatile boolean failing;
    private boolean left;
    private volatile boolean leaving;
    private final Counter selfHeals;
    private String knownRunId;
    private boolean owedRestore;
    private boolean owedReannounce;
    private ScheduledFuture<?> task;
    private ScheduledFuture<?> repair;

    /**
     * @param local          the node's clients, re-asserted after an outage; asked at leave whether it stopped
     *                       cleanly
     * @param connections    this node's live connections, written in its lease
     * @param view           receives every read of {@code nodes}
     * @param onRedisFailure told when a refresh or sweep failed on a Redis error
     * @param sweeps         counts the other nodes this node swept as dead
     * @param selfHeals      counts the times this node found that it had been swept while alive, and re-registered
     */
    public LeaseKeeper(
            Presence presence,
            Cluster cluster,
            boolean keepOnDisconnect,
            LocalState local,
            ScheduledExecutorService scheduler,
            IntSupplier connections,
            ClusterView view,
            Runnable onRedisFailure,
            Counter sweeps,
            Counter selfHeals) {
        this.presence = presence;
        this.cluster = cluster;
        this.local = local;
        this.sweeper = new DeadNodeSweeper(presence, cluster, keepOnDisconnect, sweeps);
        this.selfHeals = selfHeals;
        this.scheduler = scheduler;
        this.connections = connections;
        this.view = view;
        this.onRedisFailure = onRedisFailure;
    }

    @Override
    public synchronized void start() throws InterruptedException {
        sweeper.sweepOwnLeftovers();
        knownRunId = presence.serverRunId();
        refresh();
        readLeases();
        memberChange(MembersFeed.JOIN, "start");
        long period = cluster.refreshInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        long retry = Math.min(period, REPAIR_INTERVAL.toMillis());
        repair = scheduler.scheduleWithFixedDelay(this::repairIfNeeded, retry, retry, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        leave();
    }

    /**
     * Marks this node's lease {@code leaving} at once (it stays alive for presence, but is no longer a member) and
     * adds a {@code leave} to the {@code members} feed. Called when a drain or a clean stop begins. Idempotent.
     */
    public synchronized void beginLeaving() {
        if (leaving || left) {
            return;
        }
        leaving = true;
        try {
            refresh();
            memberChange(MembersFeed.LEAVE, "drain or stop");
            readLeases();
        } catch (RuntimeException e) {
            onRedisFailure.run();
            LOG.warn("marking node={} as leaving failed: {}", cluster.self(), e.toString());
        }
    }

    /** How many times this node found that it had been swept while alive, and re-registered. */
    public long selfHeals() {
        return selfHeals.getCount();
    }

    /**
     * Stops refreshing and removes this node's {@code nodes} entry and online hash: the node has left the
     * cluster (a clean stop, or the end of a {@code drain}). When the node could not write all its clients
     * offline in its grace period, the keys stay for another node's dead-node sweep. Idempotent.
     */
    public synchronized void leave() {
        if (left) {
            return;
        }
        left = true;
        if (task != null) {
            task.cancel(false);
            repair.cancel(false);
        }
        view.remove(cluster.self());
        if (!local.stoppedCleanly()) {
            LOG.warn("node={} leaves its keys for the dead-node sweep of another node", cluster.self());
            return;
        }
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

    /**
     * Refreshes the lease at once and has the node write its clients, memberships and owed events to Redis
     * again. Called by the stream reader after it connected again; throws when Redis fails meanwhile (the repair
     * task tries again).
     */
    public synchronized void resync() {
        if (left) {
            return;
        }
        try {
            String runId = presence.serverRunId();
            boolean sameRedis = runId != null && runId.equals(knownRunId);
            // swept as dead while cut off: the sweeper removed the memberships and published offline
            boolean swept = sameRedis && presence.leaseOf(cluster.self()) == null;
            owedRestore |= !sameRedis || swept;
            owedReannounce |= swept;
            knownRunId = runId;
            refresh();
            local.reassert(owedRestore, owedReannounce);
        } catch (RuntimeException e) {
            failing = true;
            throw e;
        }
        owedRestore = false;
        owedReannounce = false;
        failing = false;
    }

    private synchronized void tick() {
        if (left) {
            return;
        }
        try {
            // a refresh must not come first after a failure: it would hide that another node swept this one
            if (failing || local.needsReassert()) {
                resync();
            } else if (lastRefreshAt != 0 && presence.leaseOf(cluster.self()) == null) {
                selfHeals.inc();
                LOG.warn(
                        "node={} was swept as dead while it was stalled ({} ms since its last refresh): "
                                + "re-registering its clients",
                        cluster.self(),
                        System.currentTimeMillis() - lastRefreshAt);
                resync();
                memberChange(MembersFeed.JOIN, "re-registered after being swept");
            } else {
                refresh();
            }
            sweeper.sweepDeadNodes(readLeases());
        } catch (RuntimeException e) {
            failing = true;
            onRedisFailure.run();
            LOG.warn("lease refresh failed: {}", e.toString());
        }
    }

    private void repairIfNeeded() {
        if (failing || local.needsReassert()) {
            try {
                resync();
            } catch (RuntimeException e) {
                onRedisFailure.run();
                LOG.debug("resync failed, retrying in {}: {}", REPAIR_INTERVAL, e.toString());
            }
        }
    }

    private void refresh() {
        long now = System.currentTimeMillis();
        presence.refreshLease(
                new NodeLease(startedAt, now, connections.getAsInt(), Rendezvous.NAME, view.allowHash(), leaving));
        lastRefreshAt = now;
    }

    private void memberChange(String type, String reason) {
        try {
            presence.memberChange(type, cluster.self(), reason);
        } catch (RuntimeException e) {
            LOG.warn("adding {} of node={} to the members feed failed: {}", type, cluster.self(), e.toString());
        }
    }

    private Map<String, NodeLease> readLeases() {
        long now = System.currentTimeMillis();
        Map<String, NodeLease> leases = presence.leases();
        view.update(leases, now);
        return leases;
    }
}
