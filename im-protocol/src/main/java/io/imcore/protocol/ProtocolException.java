package io.imcore.protocol;

/**
 * Thrown by {@link Codec} when bytes do not form a valid envelope, frame or stored value of
 * PROTOCOL.md: invalid JSON, another {@code v}, an unknown {@code type}, a missing or invalid field.
 */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A protocol violation described by {@code message}. */
    public ProtocolException(String message) {
        super(message);
    }

    /** A protocol violation described by {@code message}, caused by {@code cause}. */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
