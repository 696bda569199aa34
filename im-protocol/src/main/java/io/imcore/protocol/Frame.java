package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A text frame on the WebSocket (PROTOCOL.md section 3). A node sends {@code hello}, {@code msg},
 * {@code chan}, {@code receipt}, {@code pong} and {@code error}; a terminal sends {@code ping} and {@code ack}.
 * Encode and decode with {@link Codec}.
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        include = JsonTypeInfo.As.EXISTING_PROPERTY,
        property = "type",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = HelloFrame.class, name = HelloFrame.TYPE),
    @JsonSubTypes.Type(value = MsgFrame.class, name = MsgFrame.TYPE),
    @JsonSubTypes.Type(value = ChanFrame.class, name = ChanFrame.TYPE),
    @JsonSubTypes.Type(value = ReceiptFrame.class, name = ReceiptFrame.TYPE),
    @JsonSubTypes.Type(value = PongFrame.class, name = PongFrame.TYPE),
    @JsonSubTypes.Type(value = ErrorFrame.class, name = ErrorFrame.TYPE),
    @JsonSubTypes.Type(value = PingFrame.class, name = PingFrame.TYPE),
    @JsonSubTypes.Type(value = AckFrame.class, name = AckFrame.TYPE)
})
public sealed interface Frame
        permits HelloFrame, MsgFrame, ChanFrame, ReceiptFrame, PongFrame, ErrorFrame, PingFrame, AckFrame {

    /** The protocol version, always {@link Protocol#VERSION}. */
    @JsonProperty("v")
    default int v() {
        return Protocol.VERSION;
    }

    /** The {@code type} field. */
    @JsonProperty("type")
    String type();
}
