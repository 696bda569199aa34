package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A point-to-point message to a node's inbox: {@code {"v":1,"type":"msg","id","from","to":[…],"data","receipt","ts"}}.
 *
 * @param id      message id made by the publisher
 * @param from    sender client id, or "" for a system message
 * @param to      receivers on the target node's partition
 * @param data    any JSON value, delivered as is
 * @param receipt whether the sender wants a receipt per receiver
 * @param ts      publisher's time, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "id", "from", "to", "data", "receipt", "ts"})
public record MsgEnvelope(
        String id,
        String from,
        List<String> to,
        JsonNode data,
        boolean receipt,
        @JsonProperty(required = true) long ts) implements Envelope {
    /** The {@code type} of this envelope. */
    public static final String TYPE = "msg";

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public MsgEnvelope {
        Fields.nonEmpty("id", id);
        Fields.sender(from);
        to = Fields.clientIds("to", to);
        Fields.present("data", data);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
