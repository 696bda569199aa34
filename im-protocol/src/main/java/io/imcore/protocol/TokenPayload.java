package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The value stored under a connect token: {@code {"v":1,"clientId","metadata"}} (PROTOCOL.md section 2).
 *
 * @param clientId the client allowed to connect with the token
 * @param metadata the business side's metadata for this connection, "" for none
 */
@JsonPropertyOrder({"v", "clientId", "metadata"})
public record TokenPayload(String clientId, String metadata) {

    /** Validates the client id and metadata. */
    public TokenPayload {
        Names.requireClientId(Fields.required("clientId", clientId));
        Names.requireMetadata(Fields.required("metadata", metadata));
    }

    /** The protocol version, always {@link Protocol#VERSION}. */
    @JsonProperty("v")
    public int v() {
        return Protocol.VERSION;
    }
}
