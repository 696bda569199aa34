package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The node did not accept a frame: {@code {"v":1,"type":"error","code","message"}}. The connection stays open.
 *
 * @param code    a short word, one of the {@code CODE_*} constants
 * @param message a human-readable reason
 */
@JsonPropertyOrder({"v", "type", "code", "message"})
public record ErrorFrame(String code, String message) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "error";
    /** The frame was not valid JSON, or not a JSON object. */
    public static final String CODE_INVALID_JSON = "invalid-json";
    /** The frame's type is not one a terminal may send. */
    public static final String CODE_UNKNOWN_TYPE = "unknown-type";
    /** The frame was a binary frame; only text frames are accepted. */
    public static final String CODE_UNSUPPORTED = "unsupported";
    /** An {@code ack} the node cannot accept (beyond the last sequence number sent); it changed nothing. */
    public static final String CODE_INVALID_ACK = "invalid-ack";

    /** Validates every field. */
    public ErrorFrame {
        Fields.nonEmpty("code", code);
        Fields.required("message", message);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
