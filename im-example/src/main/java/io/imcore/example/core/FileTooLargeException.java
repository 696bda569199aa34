package io.imcore.example.core;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;

/** An upload larger than {@code files.maxSize}: answered 413 with the limit. */
public final class FileTooLargeException extends ClientErrorException {
    private static final long serialVersionUID = 1L;

    public FileTooLargeException(long maxSize) {
        super("the file is larger than the limit of " + maxSize + " bytes", Response.Status.REQUEST_ENTITY_TOO_LARGE);
    }
}
