package io.imcore.service.config;

import io.imcore.protocol.Servers;
import java.time.Duration;

/**
 * The validated cluster layout.
 *
 * @param servers         every node, in order
 * @param self            this node's entry
 * @param lease           age after which a node counts as dead
 * @param refreshInterval how often the lease is refreshed
 */
public record Cluster(Servers servers, String self, Duration lease, Duration refreshInterval) {

    /** True when {@code clientId} belongs to this node's partition. */
    public boolean owns(String clientId) {
        return servers.entryFor(clientId).equals(self);
    }
}
