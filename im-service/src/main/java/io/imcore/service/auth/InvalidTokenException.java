package io.imcore.service.auth;

/** A connect token was refused; the message is safe to show to the terminal (it never holds the token). */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
        super(message);
    }
}
