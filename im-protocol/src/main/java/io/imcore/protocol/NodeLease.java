package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A node's entry in the {@code nodes} hash: {@code {"v":1,"startedAt","seenAt","connections"}} (PROTOCOL.md section 4).
 *
 * @param startedAt   when the node started, epoch milliseconds
 * @param seenAt      when the node last refreshed this entry, epoch milliseconds
 * @param connections live connections on the node
 */
@JsonPropertyOrder({"v", "startedAt", "seenAt", "connections"})
public record NodeLease(long startedAt, long seenAt, long connections) {

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
