package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A node's entry in the {@code nodes} hash: {@code {"v":1,"startedAt","seenAt","connections","routing","allow"
 * [,"leaving":true]}} (PROTOCOL.md section 4).
 *
 * @param startedAt   when the node started, epoch milliseconds
 * @param seenAt      when the node last refreshed this entry, epoch milliseconds
 * @param connections live connections on the node
 * @param routing     the routing rule the node follows ({@link Rendezvous#NAME}); null from a node that predates it
 * @param allow       hex SHA-256 of the node's sorted allow-list, "" without one; null from a node that predates it
 * @param leaving     true once the node drains or stops: alive, but no longer a member (no client's home)
 */
@JsonPropertyOrder({"v", "startedAt", "seenAt", "connections", "routing", "allow", "leaving"})
public record NodeLease(
        long startedAt,
        long seenAt,
        long connections,
        @JsonInclude(JsonInclude.Include.NON_NULL) String routing,
        @JsonInclude(JsonInclude.Include.NON_NULL) String allow,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean leaving) {

    /** A lease without routing fields, as a node before live membership wrote it. */
    public NodeLease(long startedAt, long seenAt, long connections) {
        this(startedAt, seenAt, connections, null, null, false);
    }

    /** The protocol version, always {@link Protocol#VERSION}. */
    @JsonProperty("v")
    public int v() {
        return Protocol.VERSION;
    }

    /** True when the entry was refreshed within {@code leaseMillis} before {@code nowMillis}. */
    @JsonIgnore
    public boolean isAlive(long nowMillis, long leaseMillis) {
        return nowMillis - seenAt <= leaseMillis;
    }
}
