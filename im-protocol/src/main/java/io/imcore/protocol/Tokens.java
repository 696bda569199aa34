package io.imcore.protocol;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One-time connect tokens (PROTOCOL.md section 2): 32 random bytes from {@link SecureRandom},
 * base64url without padding, so always 43 characters.
 */
public final class Tokens {
    /** Length of a well-formed token in characters. */
    public static final int LENGTH = 43;

    private static final Pattern WELL_FORMED = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {}

    /** A new token of 256 random bits. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** True when {@code token} has the form of a token (it may still be unknown or expired). */
    public static boolean isWellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /** A loggable form of a token that does not reveal it: its first 4 characters and an ellipsis. */
    public static String mask(String token) {
        if (token == null || token.length() < 8) {
            return "****";
        }
        return token.substring(0, 4) + "…";
    }
}
