package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A receipt to the sender's terminals: {@code {"v":1,"type":"receipt","id","to","status","ts","seq"}}.
 *
 * @param id     the message id
 * @param to     the receiver the receipt is about
 * @param status delivered or offline
 * @param ts     time of the receipt, epoch milliseconds
 * @param seq    the client's sequence number (protocol v2 terminal side); null in a frame without one
 */
@JsonPropertyOrder({"v", "type", "id", "to", "status", "ts", "seq"})
public record ReceiptFrame(
        String id,
        String to,
        ReceiptStatus status,
        long ts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long seq) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "receipt";

    /** Validates every field. */
    public ReceiptFrame {
        Fields.nonEmpty("id", id);
        Fields.nonEmpty("to", to);
        Fields.present("status", status);
        Fields.sequence("seq", seq);
    }

    /** A frame without a sequence number. */
    public ReceiptFrame(String id, String to, ReceiptStatus status, long ts) {
        this(id, to, status, ts, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
