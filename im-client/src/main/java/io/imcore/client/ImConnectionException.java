package io.imcore.client;

/**
 * Redis could not be reached or did not answer within the configured timeouts
 * ({@link ImClientOptions#connectTimeout()}, {@link ImClientOptions#socketTimeout()}); wraps Jedis's
 * {@code JedisConnectionException}. The operation may or may not have taken effect on Redis.
 */
public class ImConnectionException extends ImException {
    private static final long serialVersionUID = 1L;

    /** A connection failure described by {@code message}, caused by {@code cause}. */
    public ImConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
