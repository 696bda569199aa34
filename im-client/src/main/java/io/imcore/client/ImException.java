package io.imcore.client;

/**
 * The umbrella of every exception {@link ImClient} and {@link ImHelper} throw (unchecked, as Jedis's
 * {@code JedisException}). Narrower kinds: {@link ImConnectionException} (Redis unreachable or too slow) and
 * {@link ImInvalidArgumentException} (a bad argument, rejected before anything was written to Redis).
 */
public class ImException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception described by {@code message}. */
    public ImException(String message) {
        super(message);
    }

    /** An exception described by {@code message}, caused by {@code cause}. */
    public ImException(String message, Throwable cause) {
        super(message, cause);
    }
}
