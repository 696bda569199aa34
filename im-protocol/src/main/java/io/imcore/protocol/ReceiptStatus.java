package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The status carried by a receipt: the frame was written to the receiver, or the receiver was offline. */
public enum ReceiptStatus {
    /** The frame was written to at least one of the receiver's connections. */
    DELIVERED("delivered"),
    /** The receiver had no connection on the node that got the message. */
    OFFLINE("offline");

    private final String wire;

    ReceiptStatus(String wire) {
        this.wire = wire;
    }

    /** The value on the wire. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Parses a wire value; throws {@link IllegalArgumentException} for anything else. */
    @JsonCreator
    public static ReceiptStatus fromWire(String value) {
        for (ReceiptStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown receipt status '" + value + "'");
    }
}
