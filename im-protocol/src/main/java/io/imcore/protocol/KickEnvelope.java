package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Close every connection of a client with {@link CloseCodes#POLICY}: {@code {"v":1,"type":"kick","clientId"}}.
 *
 * @param clientId the client to disconnect
 */
@JsonPropertyOrder({"v", "type", "clientId"})
public record KickEnvelope(String clientId) implements Envelope {
    /** The {@code type} of this envelope. */
    public static final String TYPE = "kick";

    /** Validates the client id. */
    public KickEnvelope {
        Names.requireClientId(Fields.required("clientId", clientId));
    }

    @Override
    public String type() {
        return TYPE;
    }
}
