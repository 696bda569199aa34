package io.imcore.service.tasks;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Mapped on {@code /tasks/*} of the admin context: hands Dropwizard's {@code TaskServlet} a response whose
 * writer is a {@link TaskResponseWriter}, so that a task can answer 400 or 503 and choose JSON or plain text.
 */
public final class TaskResponseFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            chain.doFilter(request, new Wrapper(http));
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class Wrapper extends HttpServletResponseWrapper {
        private TaskResponseWriter writer;

        Wrapper(HttpServletResponse response) {
            super(response);
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = new TaskResponseWriter(super.getWriter(), (HttpServletResponse) getResponse());
            }
            return writer;
        }
    }
}
