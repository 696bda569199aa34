package io.imcore.service.presence;

import io.imcore.protocol.NodeLease;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code nodes} hash as the {@link LeaseKeeper} last read it, once per refresh. Gauges and health checks
 * read this copy, so scraping metrics never sends a command to Redis.
 */
public final class ClusterView {
    private volatile Snapshot snapshot = new Snapshot(Map.of(), 0);

    /** Replaces the copy with {@code leases}, read at {@code readAtMillis}. */
    public synchronized void update(Map<String, NodeLease> leases, long readAtMillis) {
        snapshot = new Snapshot(Map.copyOf(leases), readAtMillis);
    }

    /** Drops {@code entry} from the copy, as when this node left the cluster and no longer reads it. */
    public synchronized void remove(String entry) {
        Snapshot current = snapshot;
        Map<String, NodeLease> leases = new HashMap<>(current.leases());
        leases.remove(entry);
        snapshot = new Snapshot(Map.copyOf(leases), current.readAt());
    }

    /** The last copy; empty with {@code readAt} 0 before the first read. */
    public Snapshot snapshot() {
        return snapshot;
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
