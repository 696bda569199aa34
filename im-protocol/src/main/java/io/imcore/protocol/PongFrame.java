package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer to a terminal's {@code ping}: {@code {"v":1,"type":"pong","ts"}}.
 *
 * @param ts the node's time, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "ts"})
public record PongFrame(long ts) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "pong";

    @Override
    public String type() {
        return TYPE;
    }
}
