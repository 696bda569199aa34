package io.imcore.protocol;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Message ids: 128 random bits, base64url without padding (22 characters).
 *
 * <p>Ids need to be unique, not secret, so a thread-local generator is used rather than
 * {@link java.security.SecureRandom}.
 */
public final class MessageIds {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private MessageIds() {}

    /** A new message id. */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(random.nextLong())
                .putLong(random.nextLong())
                .array();
        return ENCODER.encodeToString(bytes);
    }
}
