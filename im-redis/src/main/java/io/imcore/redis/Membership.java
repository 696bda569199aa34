package io.imcore.redis;

import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import java.util.List;
import java.util.Map;

/**
 * One reading of the cluster's membership (PROTOCOL.md sections 1 and 4): the members (alive, allowed, not
 * leaving; sorted), every lease read, and the disagreements found between the reader's routing rules and the
 * members' leases. Immutable.
 *
 * @param members   entries of the members, sorted
 * @param leases    every entry of {@code <P>nodes} as read, allowed or not, alive or not
 * @param readAt    when it was read, epoch ms on the reader's clock; 0 when never
 * @param conflicts one line per member whose routing rule or allow-list differs from the reader's
 */
public record Membership(List<String> members, Map<String, NodeLease> leases, long readAt, List<String> conflicts) {
    /** The view before the first read: no member. */
    public static final Membership EMPTY = new Membership(List.of(), Map.of(), 0, List.of());

    /** Copies the collections. */
    public Membership {
        members = List.copyOf(members);
        leases = Map.copyOf(leases);
        conflicts = List.copyOf(conflicts);
    }

    /** The home of {@code clientId} among the members; null when there is none. */
    public String home(String clientId) {
        return members.isEmpty() ? null : Rendezvous.home(clientId, members);
    }

    /** True when {@code entry} is a member. */
    public boolean isMember(String entry) {
        return members.contains(entry);
    }
}
