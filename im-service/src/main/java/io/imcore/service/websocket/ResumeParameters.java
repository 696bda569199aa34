package io.imcore.service.websocket;

import io.imcore.service.hub.ResumeRequest;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code acks}, {@code session} and {@code seq} of a connect URL (PROTOCOL.md section 3.1); anything
 * malformed is an {@link IllegalArgumentException} whose message is the 400 answer.
 */
final class ResumeParameters {
    private static final Pattern SESSION = Pattern.compile("[\\x21-\\x7e]{1,64}");
    private static final Pattern SEQ = Pattern.compile("0|[1-9][0-9]{0,17}");

    private ResumeParameters() {}

    static ResumeRequest of(Function<String, String[]> parameters) {
        String acks = single(parameters, "acks");
        String session = single(parameters, "session");
        String seq = single(parameters, "seq");
        if (acks != null && !acks.equals("1") && !acks.equals("0")) {
            throw new IllegalArgumentException("acks must be 1 or 0");
        }
        if ((session == null) != (seq == null)) {
            throw new IllegalArgumentException("session and seq go together");
        }
        if (session != null && !SESSION.matcher(session).matches()) {
            throw new IllegalArgumentException("session must be 1 to 64 printable ASCII characters");
        }
        if (seq != null && !SEQ.matcher(seq).matches()) {
            throw new IllegalArgumentException("seq must be a non-negative integer");
        }
        return new ResumeRequest("1".equals(acks), session, seq == null ? 0 : Long.parseLong(seq));
    }

    private static String single(Function<String, String[]> parameters, String name) {
        String[] values = parameters.apply(name);
        if (values == null) {
            return null;
        }
        if (values.length > 1) {
            throw new IllegalArgumentException("more than one " + name);
        }
        return values[0];
    }
}
