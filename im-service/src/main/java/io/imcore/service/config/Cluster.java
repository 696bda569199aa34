package io.imcore.service.config;

import io.imcore.protocol.Servers;
import io.imcore.redis.Membership;
import io.imcore.service.presence.ClusterView;
import java.time.Duration;
import java.util.List;

/**
 * The validated cluster layout and this node's view of the live membership.
 *
 * @param servers         the allow-list ({@code cluster.servers}), or null when any node may be a member
 * @param self            this node's entry, its advertised address
 * @param lease           age after which a node counts as dead
 * @param refreshInterval how often the lease is refreshed and the membership read
 * @param rebalancePeriod over how long the clients whose home moved to a joining node are closed
 * @param view            the membership as this node last read it
 */
public record Cluster(
        Servers servers,
        String self,
        Duration lease,
        Duration refreshInterval,
        Duration rebalancePeriod,
        ClusterView view) {

    /** A cluster whose view is new, with the default rebalance period of 10 s. */
    public Cluster(Servers servers, String self, Duration lease, Duration refreshInterval) {
        this(servers, self, lease, refreshInterval, Duration.ofSeconds(10), null);
    }

    /** Makes the view when none is given. */
    public Cluster {
        if (view == null) {
            view = new ClusterView(servers == null ? List.of() : servers.entries(), lease);
        }
    }

    /** The allow-list's entries; empty without one. */
    public List<String> allowList() {
        return servers == null ? List.of() : servers.entries();
    }

    /**
     * The home of {@code clientId} under this node's view; before the first reading (or with no member at all),
     * its home among the allow-list, or this node without one.
     */
    public String home(String clientId) {
        String home = view.membership().home(clientId);
        if (home != null) {
            return home;
        }
        return servers == null ? self : servers.entryFor(clientId);
    }

    /** True when {@code clientId}'s home is this node. */
    public boolean owns(String clientId) {
        return home(clientId).equals(self);
    }

    /** The current membership as this node last read it. */
    public Membership membership() {
        return view.membership();
    }
}
