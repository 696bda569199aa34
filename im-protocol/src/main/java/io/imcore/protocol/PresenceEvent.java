package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An online or offline event on {@code events}:
 * {@code {"v":1,"type":"online"|"offline","clientId","metadata","node","reason","ts"}}.
 * Published when a client's first connection opens and when its last one closes, not per connection.
 *
 * @param type     {@link #ONLINE} or {@link #OFFLINE}
 * @param clientId the client
 * @param metadata token metadata of the connection that caused the event, "" from a sweep
 * @param node     servers entry of the node that held the client
 * @param reason   one of the {@code REASON_*} constants (other values from newer nodes are passed through)
 * @param ts       time of the event, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "clientId", "metadata", "node", "reason", "ts"})
public record PresenceEvent(
        String type,
        String clientId,
        String metadata,
        String node,
        String reason,
        @JsonProperty(required = true) long ts)
        implements Envelope {
    /** Type of an online event. */
    public static final String ONLINE = "online";
    /** Type of an offline event. */
    public static final String OFFLINE = "offline";
    /** Reason of an online event. */
    public static final String REASON_CONNECT = "connect";
    /** The client's last connection closed. */
    public static final String REASON_DISCONNECT = "disconnect";
    /** The client was kicked by {@code forceOffline}. */
    public static final String REASON_KICK = "kick";
    /** The client's last connection was closed as a slow consumer. */
    public static final String REASON_SLOW = "slow";
    /** The node shut down or drained. */
    public static final String REASON_SHUTDOWN = "shutdown";
    /** The node died and a surviving node swept its state. */
    public static final String REASON_NODE_DEAD = "node-dead";
    /** The client's home moved to a node that joined: its old node closed it (1001) so that it reconnects there. */
    public static final String REASON_REBALANCE = "rebalance";

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public PresenceEvent {
        Fields.oneOf("type", type, ONLINE, OFFLINE);
        Names.requireClientId(Fields.required("clientId", clientId));
        Fields.required("metadata", metadata);
        Fields.required("node", node);
        Fields.nonEmpty("reason", reason);
    }

    /** True for an online event. */
    @JsonIgnore
    public boolean isOnline() {
        return ONLINE.equals(type);
    }
}
