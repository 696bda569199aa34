package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A terminal's cumulative acknowledgement, {@code {"type":"ack","seq":n}} ({@code v} may be omitted): "I have
 * every frame of this connection up to {@code seq}" (PROTOCOL.md section 3.1).
 *
 * @param seq the highest sequence number the terminal holds with every one before it; not negative
 */
@JsonPropertyOrder({"v", "type", "seq"})
public record AckFrame(Long seq) implements Frame {
    /** The {@code type} of this frame. */
    public static final String TYPE = "ack";

    /** Validates every field. */
    public AckFrame {
        Fields.present("seq", seq);
        Fields.sequence("seq", seq);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
