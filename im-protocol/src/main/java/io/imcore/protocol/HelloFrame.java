package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The first frame of a connection, sent once it is registered:
 * {@code {"v":1,"type":"hello","clientId","node","heartbeat","session","seq","resumed"}}. The last three are
 * the terminal side of protocol v2 (PROTOCOL.md section 3.1); a v1 node's hello has none of them.
 *
 * @param clientId  the client this connection belongs to
 * @param node      the node's servers entry
 * @param heartbeat the node's ping interval in seconds
 * @param session   the node's session of this client (opaque), or null
 * @param seq       the last sequence number the session used before this connection's first frame, or null
 * @param resumed   whether the connection resumed the session it asked for, or null
 */
@JsonPropertyOrder({"v", "type", "clientId", "node", "heartbeat", "session", "seq", "resumed"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HelloFrame(String clientId, String node, long heartbeat, String session, Long seq, Boolean resumed)
        implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "hello";

    /** Validates every field. */
    public HelloFrame {
        Names.requireClientId(Fields.required("clientId", clientId));
        Fields.nonEmpty("node", node);
        Fields.sequence("seq", seq);
        if (session != null) {
            Fields.nonEmpty("session", session);
        }
    }

    /** A v1 hello, without session fields. */
    public HelloFrame(String clientId, String node, long heartbeat) {
        this(clientId, node, heartbeat, null, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
