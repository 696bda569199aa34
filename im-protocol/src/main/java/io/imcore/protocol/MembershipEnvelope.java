package io.imcore.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A client joined or left channels: {@code {"v":1,"type":"join"|"leave","clientId","chans":[…]}}.
 * Sent to the client's node after the Redis keys were written, so it can update its local index.
 *
 * @param type     {@link #JOIN} or {@link #LEAVE}
 * @param clientId the member
 * @param chans    the channels joined or left
 */
@JsonPropertyOrder({"v", "type", "clientId", "chans"})
public record MembershipEnvelope(String type, String clientId, List<String> chans) implements Envelope {
    /** Type of a join. */
    public static final String JOIN = "join";
    /** Type of a leave. */
    public static final String LEAVE = "leave";

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public MembershipEnvelope {
        Fields.oneOf("type", type, JOIN, LEAVE);
        Names.requireClientId(Fields.required("clientId", clientId));
        chans = Fields.channels("chans", chans);
    }

    /** A join of {@code clientId} to {@code chans}. */
    public static MembershipEnvelope join(String clientId, List<String> chans) {
        return new MembershipEnvelope(JOIN, clientId, chans);
    }

    /** A leave of {@code clientId} from {@code chans}. */
    public static MembershipEnvelope leave(String clientId, List<String> chans) {
        return new MembershipEnvelope(LEAVE, clientId, chans);
    }

    /** True for a join. */
    @JsonIgnore
    public boolean isJoin() {
        return JOIN.equals(type);
    }
}
