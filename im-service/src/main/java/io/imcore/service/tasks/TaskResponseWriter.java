package io.imcore.service.tasks;

import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;

/**
 * The writer a task prints to when it runs behind {@link TaskResponseFilter}: the response's own writer, plus a
 * way to set the HTTP status and content type, which Dropwizard's {@code Task} API does not offer (its
 * {@code TaskServlet} answers 500 for any exception a task throws and logs it at ERROR with its stack trace).
 */
final class TaskResponseWriter extends PrintWriter {
    private final HttpServletResponse response;

    TaskResponseWriter(PrintWriter writer, HttpServletResponse response) {
        super(writer);
        this.response = response;
    }

    /**
     * Sets the status and content type of the response behind {@code output}, when there is one and nothing
     * was sent yet; does nothing for any other writer (a task called directly, as in a unit test).
     */
    static void respond(PrintWriter output, int status, String contentType) {
        if (output instanceof TaskResponseWriter writer && !writer.response.isCommitted()) {
            writer.response.setStatus(status);
            writer.response.setContentType(contentType);
        }
    }
}
