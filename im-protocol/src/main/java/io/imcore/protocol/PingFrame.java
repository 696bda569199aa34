package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A terminal's application-level ping, {@code {"type":"ping"}} ({@code v} may be omitted); the node answers
 * with a {@link PongFrame}.
 */
@JsonPropertyOrder({"v", "type"})
public record PingFrame() implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "ping";

    @Override
    public String type() {
        return TYPE;
    }
}
