package io.imcore.client;

/**
 * An argument broke a rule of PROTOCOL.md section 1 (a client id or channel name that is empty, longer than
 * 128 characters or holds a control character; metadata over 4096 UTF-8 bytes; a null or unserializable
 * message). It is thrown before anything is written to Redis.
 *
 * <p>It extends {@link ImException}, not {@link IllegalArgumentException} (a class cannot extend both), so
 * that one {@code catch (ImException e)} covers every failure of the client; its cause is the
 * {@link IllegalArgumentException} of the validation that failed.
 */
public class ImInvalidArgumentException extends ImException {
    private static final long serialVersionUID = 1L;

    /** An invalid argument described by {@code message}. */
    public ImInvalidArgumentException(String message) {
        super(message);
    }

    /** An invalid argument described by {@code message}, found by the validation that threw {@code cause}. */
    public ImInvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
