package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel message on {@code broadcast}: {@code {"v":1,"type":"chan","id","from","chan","data","ts"}};
 * every node delivers it to its local connections of the channel's members.
 *
 * @param id   message id made by the publisher
 * @param from sender client id, or ""
 * @param chan channel name
 * @param data any JSON value
 * @param ts   publisher's time, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "id", "from", "chan", "data", "ts"})
public record ChanEnvelope(
        String id,
        String from,
        String chan,
        JsonNode data,
        @JsonProperty(required = true) long ts) implements Envelope {
    /** The {@code type} of this envelope. */
    public static final String TYPE = "chan";

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public ChanEnvelope {
        Fields.nonEmpty("id", id);
        Fields.sender(from);
        Names.requireChannel(Fields.required("chan", chan));
        Fields.present("data", data);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
