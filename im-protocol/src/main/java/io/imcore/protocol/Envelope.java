package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The envelope of an entry of a Redis stream (its field {@code e}, PROTOCOL.md section 5): node inboxes,
 * {@code broadcast} and {@code events}.
 * Encode and decode with {@link Codec}.
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        include = JsonTypeInfo.As.EXISTING_PROPERTY,
        property = "type",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = MsgEnvelope.class, name = MsgEnvelope.TYPE),
    @JsonSubTypes.Type(value = ReceiptEnvelope.class, name = ReceiptEnvelope.TYPE),
    @JsonSubTypes.Type(value = KickEnvelope.class, name = KickEnvelope.TYPE),
    @JsonSubTypes.Type(
            value = MembershipEnvelope.class,
            names = {MembershipEnvelope.JOIN, MembershipEnvelope.LEAVE}),
    @JsonSubTypes.Type(value = ChanEnvelope.class, name = ChanEnvelope.TYPE),
    @JsonSubTypes.Type(value = AllEnvelope.class, name = AllEnvelope.TYPE),
    @JsonSubTypes.Type(
            value = PresenceEvent.class,
            names = {PresenceEvent.ONLINE, PresenceEvent.OFFLINE})
})
public sealed interface Envelope
        permits MsgEnvelope,
                ReceiptEnvelope,
                KickEnvelope,
                MembershipEnvelope,
                ChanEnvelope,
                AllEnvelope,
                PresenceEvent {

    /** The protocol version, always {@link Protocol#VERSION}. */
    @JsonProperty("v")
    default int v() {
        return Protocol.VERSION;
    }

    /** The {@code type} field. */
    @JsonProperty("type")
    String type();
}
