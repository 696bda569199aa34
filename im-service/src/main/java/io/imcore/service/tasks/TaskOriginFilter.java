package io.imcore.service.tasks;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mapped on {@code /tasks/*} of the admin context: refuses, with 403 and a one-line reason, a task request that a
 * web page sent. Browsers put an {@code Origin} header on every POST a page makes (a form or {@code fetch},
 * {@code text/plain} bodies included, which need no CORS preflight), while curl, scripts and monitoring tools send
 * none. Without this, a page open in the browser of an operator who reaches the admin port (an {@code ssh -L}
 * tunnel) could kick, broadcast or drain.
 *
 * <p>Foreign is every {@code Origin} except the admin port's own: {@code http://<Host>} where the {@code Host}
 * header names a loopback address ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}); the loopback condition
 * keeps a DNS-rebound name (a foreign site whose name resolves to 127.0.0.1) out. {@code Origin: null} (sandboxed
 * frames, local files) is foreign too.
 */
public final class TaskOriginFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(TaskOriginFilter.class);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer) {
            String origin = http.getHeader("Origin");
            if (origin != null && !isOwnOrigin(origin, http.getHeader("Host"))) {
                LOG.warn(
                        "refused task request {} {} from a web page (Origin: {})",
                        http.getMethod(),
                        http.getRequestURI(),
                        printable(origin));
                answer.setStatus(HttpServletResponse.SC_FORBIDDEN);
                // the request's body is not read: the connection cannot serve another request
                answer.setHeader("Connection", "close");
                answer.setContentType("text/plain;charset=utf-8");
                byte[] body = ("task requests from web pages are refused (Origin: " + printable(origin)
                                + "); use curl or another client that sends no Origin header\n")
                        .getBytes(StandardCharsets.UTF_8);
                answer.setContentLength(body.length);
                answer.getOutputStream().write(body);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** True when {@code origin} is {@code http://<host>} and {@code host} names a loopback address. */
    static boolean isOwnOrigin(String origin, String host) {
        if (host == null || !origin.equalsIgnoreCase("http://" + host)) {
            return false;
        }
        try {
            String name = new URI("http://" + host).getHost();
            if (name == null) {
                return false;
            }
            if (name.toLowerCase(Locale.ROOT).equals("localhost")) {
                return true;
            }
            if (!name.startsWith("[") && !Character.isDigit(name.charAt(0))) {
                return false; // a name: not resolved, it may be a rebound one
            }
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (URISyntaxException | UnknownHostException e) {
            return false;
        }
    }

    private static String printable(String value) {
        String shortened = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
