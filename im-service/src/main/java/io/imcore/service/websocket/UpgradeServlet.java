package io.imcore.service.websocket;

import io.imcore.protocol.TokenPayload;
import io.imcore.service.auth.InvalidTokenException;
import io.imcore.service.auth.TokenStore;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.Node;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminals' endpoint: checks the one-time token before the upgrade and answers a refusal with a
 * plain-text reason (401 bad token, 421 client of another node, 503 node unavailable, 400 not a WebSocket
 * request). Only then does it hand the request to Jetty's WebSocket upgrade.
 */
final class UpgradeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeServlet.class);
    private static final int MISDIRECTED = 421;

    private final transient Node node;
    private final transient TokenStore tokens;
    private final transient NodeMetrics metrics;

    UpgradeServlet(Node node, TokenStore tokens, NodeMetrics metrics) {
        this.node = node;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "WebSocket upgrade required");
            return;
        }
        if (node.isShuttingDown()) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "node shutting down");
            return;
        }
        String[] values = request.getParameterValues("token");
        TokenPayload token;
        try {
            if (values != null && values.length > 1) {
                throw new InvalidTokenException("more than one token");
            }
            token = tokens.consume(values == null ? null : values[0]);
        } catch (InvalidTokenException e) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, e.getMessage());
            return;
        } catch (RuntimeException redisDown) {
            metrics.redisFailure();
            LOG.warn("token check failed: {}", redisDown.toString());
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "node cannot reach Redis");
            return;
        }
        if (!node.cluster().owns(token.clientId())) {
            refuse(response, MISDIRECTED, "client belongs to node "
                    + node.cluster().servers().entryFor(token.clientId()));
            return;
        }
        JettyWebSocketServerContainer container = JettyWebSocketServerContainer.getContainer(getServletContext());
        boolean upgraded = container.upgrade((req, resp) -> new TerminalEndpoint(node, token, metrics),
                request, response);
        if (!upgraded && !response.isCommitted()) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "WebSocket upgrade failed");
        }
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write((reason + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
