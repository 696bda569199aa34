package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A point-to-point or broadcast message to a terminal: {@code {"v":1,"type":"msg","id","from","data","ts"}}.
 *
 * @param id   message id
 * @param from sender, or ""
 * @param data the published JSON value, unchanged
 * @param ts   the publisher's time, passed through
 */
@JsonPropertyOrder({"v", "type", "id", "from", "data", "ts"})
public record MsgFrame(String id, String from, JsonNode data, long ts) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "msg";

    /** Validates every field. */
    public MsgFrame {
        Fields.nonEmpty("id", id);
        Fields.required("from", from);
        Fields.present("data", data);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
