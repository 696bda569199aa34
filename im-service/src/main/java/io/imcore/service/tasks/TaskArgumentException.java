package io.imcore.service.tasks;

/** A task parameter is missing or invalid; the task answers HTTP 400 with this one-line message and does nothing. */
public final class TaskArgumentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskArgumentException(String message) {
        super(message);
    }
}
