package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A receipt on its way to the sender's node: {@code {"v":1,"type":"receipt","id","from":"<receiver>","to":"<sender>","status","ts"}}.
 *
 * @param id     the message id
 * @param from   the receiver of the message
 * @param to     the sender of the message, who gets the receipt
 * @param status delivered or offline
 * @param ts     time of the receipt, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "id", "from", "to", "status", "ts"})
public record ReceiptEnvelope(
        String id,
        String from,
        String to,
        ReceiptStatus status,
        @JsonProperty(required = true) long ts) implements Envelope {
    /** The {@code type} of this envelope. */
    public static final String TYPE = "receipt";

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public ReceiptEnvelope {
        Fields.nonEmpty("id", id);
        Names.requireClientId(Fields.required("from", from));
        Names.requireClientId(Fields.required("to", to));
        Fields.present("status", status);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
