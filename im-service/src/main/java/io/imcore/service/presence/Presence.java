package io.imcore.service.presence;

import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared state of PROTOCOL.md section 4 as one node reads and writes it: its clients' online state and
 * memberships, the online/offline events, the node leases and the claims of the dead-node sweep. "This node" is
 * the entry the implementation was made for. Every method may throw an unchecked exception when the store
 * fails; callers remember what they owe and write it again ({@link ClientPresence}, {@link LeaseKeeper}).
 */
public interface Presence {
    /** Records how many connections {@code clientId} has on this node. */
    void setConnections(String clientId, int count);

    /** Removes {@code clientId} from this node's online hash. */
    void removeClient(String clientId);

    /** The channels {@code clientId} is a member of. */
    Set<String> channelsOf(String clientId);

    /**
     * {@link #setConnections} then {@link #channelsOf}: what a client's first connection on this node writes and
     * reads, in one round trip where the store can.
     */
    default Set<String> setConnectionsAndReadChannels(String clientId, int count) {
        setConnections(clientId, count);
        return channelsOf(clientId);
    }

    /** Removes {@code clientId} from every channel it is a member of, in one atomic step. */
    void leaveAllChannels(String clientId);

    /** Writes memberships of {@code clientId} back after the store lost them; existing join times are kept. */
    void restoreMemberships(String clientId, Set<String> chans);

    /** Publishes an online or offline event. */
    void publish(PresenceEvent event);

    /** Up to {@code count} entries of the inbox of node {@code entry}, oldest first, after {@code afterId}
     * ("" for its first). */
    List<InboxEntry> readInbox(String entry, String afterId, int count);

    /** Removes the entries of the inbox of node {@code entry} up to {@code throughId}, included. */
    void trimInbox(String entry, String throughId);

    /** Appends each envelope to the inbox of its node (entry → envelopes), in one round trip. */
    void sendToInboxes(List<Map.Entry<String, String>> envelopes);

    /** Clients listed in a node's online hash. */
    Set<String> onlineClientsOf(String entry);

    /** Writes this node's entry in {@code nodes}. */
    void refreshLease(NodeLease lease);

    /** Every entry of {@code nodes}; an entry that does not decode counts as a lease seen at time 0 (dead). */
    Map<String, NodeLease> leases();

    /** A node's entry in {@code nodes} as stored, or null. */
    String leaseOf(String entry);

    /** Removes a node's online hash and {@code nodes} entry. */
    void removeNode(String entry);

    /** True when this node has an online hash or a {@code nodes} entry, left from an earlier run. */
    boolean hasLeftovers();

    /** True when this node wins the right to sweep {@code entry}'s state. */
    boolean claimSweep(String entry);

    /** Whose claim to sweep {@code entry} holds now, or null. */
    String sweepClaimOf(String entry);

    /** Takes over the claim to sweep {@code entry} whoever holds it (for a node sweeping its own leftovers). */
    void forceClaimSweep(String entry);

    /** Deletes any claim to sweep {@code entry}, whoever holds it (for a node starting on its own entry). */
    void deleteSweepClaim(String entry);

    /** Releases this node's claim to sweep {@code entry}, if it still holds it. */
    void releaseSweep(String entry);

    /**
     * An id of the store's server that changes whenever it restarts (its data may be lost then); null when it
     * cannot be read.
     */
    String serverRunId();

    /** Adds a change ({@code join} or {@code leave} of {@code entry}) to the {@code members} feed. */
    void memberChange(String type, String entry, String reason);

    /**
     * Where each of {@code clientIds} is listed with a count above 0: client → the first of {@code nodes} whose
     * online hash lists it; clients listed nowhere are absent. One pipeline (an HMGET per node).
     */
    Map<String, String> nodesListing(List<String> clientIds, List<String> nodes);
}
