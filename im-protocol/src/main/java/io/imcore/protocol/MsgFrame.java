package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A point-to-point or broadcast message to a terminal: {@code {"v":1,"type":"msg","id","from","data","ts","seq"}}.
 *
 * @param id   message id
 * @param from sender, or ""
 * @param data the published JSON value, unchanged
 * @param ts   the publisher's time, passed through
 * @param seq  the client's sequence number (protocol v2 terminal side); null in a frame without one
 */
@JsonPropertyOrder({"v", "type", "id", "from", "data", "ts", "seq"})
public record MsgFrame(
        String id,
        String from,
        JsonNode data,
        long ts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long seq) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "msg";

    /** Validates every field. */
    public MsgFrame {
        Fields.nonEmpty("id", id);
        Fields.required("from", from);
        Fields.present("data", data);
        Fields.sequence("seq", seq);
    }

    /** A frame without a sequence number. */
    public MsgFrame(String id, String from, JsonNode data, long ts) {
        this(id, from, data, ts, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
