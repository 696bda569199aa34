package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The first frame of a connection, sent once it is registered:
 * {@code {"v":1,"type":"hello","clientId","node","heartbeat"}}.
 *
 * @param clientId  the client this connection belongs to
 * @param node      the node's servers entry
 * @param heartbeat the node's ping interval in seconds
 */
@JsonPropertyOrder({"v", "type", "clientId", "node", "heartbeat"})
public record HelloFrame(String clientId, String node, long heartbeat) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "hello";

    /** Validates every field. */
    public HelloFrame {
        Names.requireClientId(Fields.required("clientId", clientId));
        Fields.nonEmpty("node", node);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
