package io.imcore.service.presence;

import io.imcore.protocol.NodeLease;
import io.imcore.redis.Membership;
import io.imcore.redis.MembershipView;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The {@code nodes} hash as the {@link LeaseKeeper} last read it, once per refresh, and the membership it makes
 * ({@link MembershipView}). Gauges, health checks, the upgrade check and the rebalancer read this copy, so none
 * of them sends a command to Redis. Listeners hear every change of the members.
 */
public final class ClusterView {
    private final MembershipView membership;
    private final List<BiConsumer<Membership, Membership>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), 0);

    /** An empty view with no allow-list and a lease of 15 s. */
    public ClusterView() {
        this(List.of(), Duration.ofSeconds(15));
    }

    /**
     * @param allowList entries that may be members; empty: any node with an alive lease
     * @param lease     a lease older than this is dead
     */
    public ClusterView(Collection<String> allowList, Duration lease) {
        this(allowList, lease, Clock.systemUTC());
    }

    /** @param clock what "now" is when a lease is judged expired between readings */
    public ClusterView(Collection<String> allowList, Duration lease, Clock clock) {
        // this view is only fed by update(): it never reads Redis itself
        this.membership = new MembershipView(null, null, allowList, lease, lease, clock);
    }

    /** Calls {@code listener} with (before, after) after each reading that changed the members. */
    public void onChange(BiConsumer<Membership, Membership> listener) {
        listeners.add(listener);
    }

    /** Replaces the copy with {@code leases}, read at {@code readAtMillis}. */
    public void update(Map<String, NodeLease> leases, long readAtMillis) {
        Membership before;
        Membership after;
        synchronized (this) {
            snapshot = new Snapshot(Map.copyOf(leases), readAtMillis);
            before = membership.current();
            after = membership.update(leases, readAtMillis);
        }
        if (!before.members().equals(after.members())) {
            listeners.forEach(listener -> listener.accept(before, after));
        }
    }

    /** Drops {@code entry} from the copy, as when this node left the cluster and no longer reads it. */
    public synchronized void remove(String entry) {
        Snapshot current = snapshot;
        Map<String, NodeLease> leases = new HashMap<>(current.leases());
        leases.remove(entry);
        snapshot = new Snapshot(Map.copyOf(leases), current.readAt());
        membership.update(leases, current.readAt());
    }

    /** The last copy; empty with {@code readAt} 0 before the first read. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** The membership of the last copy, minus members whose lease has expired since it was read. */
    public Membership membership() {
        return membership.currentNow();
    }

    /** The {@code allow} value of this node's lease. */
    public String allowHash() {
        return membership.allowHash();
    }

    /**
     * One read of {@code nodes}.
     *
     * @param leases entry → lease, as read (an entry that did not decode has a lease seen at 0)
     * @param readAt when it was read, epoch ms; 0 when never
     */
    public record Snapshot(Map<String, NodeLease> leases, long readAt) {

        /** The lease of {@code entry} when it is alive at {@code nowMillis}, else null. */
        public NodeLease alive(String entry, long nowMillis, long leaseMillis) {
            NodeLease lease = leases.get(entry);
            return lease != null && lease.isAlive(nowMillis, leaseMillis) ? lease : null;
        }
    }
}
