package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A receipt to the sender's terminals: {@code {"v":1,"type":"receipt","id","to","status","ts"}}.
 *
 * @param id     the message id
 * @param to     the receiver the receipt is about
 * @param status delivered or offline
 * @param ts     time of the receipt, epoch milliseconds
 */
@JsonPropertyOrder({"v", "type", "id", "to", "status", "ts"})
public record ReceiptFrame(String id, String to, ReceiptStatus status, long ts) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "receipt";

    /** Validates every field. */
    public ReceiptFrame {
        Fields.nonEmpty("id", id);
        Fields.nonEmpty("to", to);
        Fields.present("status", status);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
