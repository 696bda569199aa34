package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message to every connection of every node, on {@code broadcast}: {@code {"v":1,"type":"all","id","from","data","ts"}}.
 * It arrives at terminals as a {@code msg} frame.
 *
 * @param id   message id made by the publisher
 * @param from sender client id, or ""
 * @param data any JSON value
 * @param ts   publisher's time, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "id", "from", "data", "ts"})
public record AllEnvelope(
        String id,
        String from,
        JsonNode data,
        @JsonProperty(required = true) long ts) implements Envelope {
    /** The {@code type} of this envelope. */
    public static final String TYPE = "all";

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public AllEnvelope {
        Fields.nonEmpty("id", id);
        Fields.sender(from);
        Fields.present("data", data);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
