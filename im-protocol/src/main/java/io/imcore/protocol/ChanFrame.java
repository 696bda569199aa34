package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel message to a terminal: {@code {"v":1,"type":"chan","id","chan","from","data","ts","seq"}}.
 *
 * @param id   message id
 * @param chan channel name
 * @param from sender, or ""
 * @param data the published JSON value, unchanged
 * @param ts   the publisher's time, passed through
 * @param seq  the client's sequence number (protocol v2 terminal side); null in a frame without one
 */
@JsonPropertyOrder({"v", "type", "id", "chan", "from", "data", "ts", "seq"})
public record ChanFrame(
        String id,
        String chan,
        String from,
        JsonNode data,
        long ts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long seq)
        implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "chan";

    /** Validates every field. */
    public ChanFrame {
        Fields.nonEmpty("id", id);
        Fields.nonEmpty("chan", chan);
        Fields.required("from", from);
        Fields.present("data", data);
        Fields.sequence("seq", seq);
    }

    /** A frame without a sequence number. */
    public ChanFrame(String id, String chan, String from, JsonNode data, long ts) {
        this(id, chan, from, data, ts, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
