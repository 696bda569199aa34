package io.imcore.example.core;

import io.imcore.protocol.Names;
import jakarta.ws.rs.BadRequestException;
import java.util.regex.Pattern;

/**
 * Checks every input of the demo's endpoints; a bad one is answered 400 with a reason naming the field
 * ({@code {"code":400,"message":"…"}}). The demo trusts the nickname it is given: a real backend takes the
 * client id from its own login session instead.
 */
public final class Inputs {
    /** Nicknames and channel names: 1 to 32 letters, digits, '_', '-' or '.'. */
    public static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.-]{1,32}");

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]");
    private static final Pattern FILE_NAME_FORBIDDEN = Pattern.compile("[/\\\\\\p{Cntrl}\"]");
    private static final int MAX_FILE_NAME = 200;

    private final int maxTextLength;

    public Inputs(int maxTextLength) {
        this.maxTextLength = maxTextLength;
    }

    /** {@code body} itself, or 400 when the request had none. */
    public static <T> T body(T body) {
        if (body == null) {
            throw new BadRequestException("a JSON body is required");
        }
        return body;
    }

    /** A nickname used as client id. */
    public String clientId(String field, String value) {
        String checked = name(field, value);
        if (!Names.isValidClientId(checked)) {
            throw new BadRequestException(field + " is not a valid client id");
        }
        return checked;
    }

    /** A channel name. */
    public String channel(String field, String value) {
        String checked = name(field, value);
        if (!Names.isValidChannel(checked)) {
            throw new BadRequestException(field + " is not a valid channel name");
        }
        return checked;
    }

    /** A message text: not blank, at most the configured length, no control characters but newline and tab. */
    public String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(field + " is required and must not be blank");
        }
        if (value.length() > maxTextLength) {
            throw new BadRequestException(field + " is longer than " + maxTextLength + " characters");
        }
        if (CONTROL.matcher(value).find()) {
            throw new BadRequestException(field + " must not contain control characters");
        }
        return value;
    }

    /** A file name as shown to the receiver: no path, quote or control character, at most 200 characters. */
    public String fileName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(field + " is required");
        }
        if (value.length() > MAX_FILE_NAME
                || FILE_NAME_FORBIDDEN.matcher(value).find()
                || value.equals(".")
                || value.equals("..")) {
            throw new BadRequestException(field + " must be a plain file name of at most " + MAX_FILE_NAME
                    + " characters, without '/', '\\', '\"' or control characters");
        }
        return value;
    }

    private static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException(field + " is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new BadRequestException(field + " must be 1 to 32 letters, digits, '_', '-' or '.'");
        }
        return value;
    }
}
