package io.imcore.service.websocket;

import io.imcore.protocol.TokenPayload;
import io.imcore.service.auth.InvalidTokenException;
import io.imcore.service.auth.TokenStore;
import io.imcore.service.hub.ResumeRequest;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.Node;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletCoreRequest;
import org.eclipse.jetty.ee10.servlet.ServletCoreResponse;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminals' endpoint: checks the request before the upgrade and answers a refusal with a plain-text
 * reason, in this order: 400 not a WebSocket request, 503 node shutting down (or draining), 403 {@code Origin}
 * not allowed, 503 node full, 400 malformed {@code acks}/{@code session}/{@code seq}, 401 bad token, 503 Redis
 * unreachable or no pooled Redis connection free ({@link RedisRefusal}), 421 client of another node, 429 client
 * has too many
 * connections. Only then does it hand the request to Jetty's WebSocket upgrade. The token (a query parameter)
 * is never logged.
 */
final class UpgradeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeServlet.class);
    private static final int MISDIRECTED = 421;
    private static final int TOO_MANY_REQUESTS = 429;

    private final transient Node node;
    private final transient TokenStore tokens;
    private final transient NodeMetrics metrics;
    private final transient EndpointSettings settings;
    private final transient RedisRefusal redisRefusal;
    private transient WebSocketMappings mappings;
    private final transient SelectorReadHandshaker handshaker = new SelectorReadHandshaker();
    private transient Executor blockingWork;

    UpgradeServlet(
            Node node, TokenStore tokens, NodeMetrics metrics, EndpointSettings settings, RedisRefusal redisRefusal) {
        this.node = node;
        this.tokens = tokens;
        this.metrics = metrics;
        this.settings = settings;
        this.redisRefusal = redisRefusal;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            upgrade(request, response);
        } catch (RuntimeException e) {
            // logged without the request URI: its query string holds the one-time token
            LOG.error("upgrade of a request to {} failed", request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset();
                refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error");
            }
        }
    }

    private void upgrade(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "WebSocket upgrade required");
            return;
        }
        if (node.isShuttingDown()) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, node.refusal());
            return;
        }
        if (!settings.origins().allows(request.getHeader("Origin"))) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
            return;
        }
        if (node.isFull()) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "node is full");
            return;
        }
        ResumeRequest resume;
        try {
            resume = ResumeParameters.of(request::getParameterValues);
        } catch (IllegalArgumentException e) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        TokenPayload token = consumeToken(request, response);
        if (token == null) {
            return;
        }
        if (!node.cluster().owns(token.clientId())) {
            refuse(
                    response,
                    MISDIRECTED,
                    "client belongs to node " + node.cluster().home(token.clientId()));
            return;
        }
        if (node.isFull(token.clientId())) {
            refuse(response, TOO_MANY_REQUESTS, "client has too many connections");
            return;
        }
        if (!upgrade(request, response, new TerminalEndpoint(node, token, resume, metrics, settings, blockingWork))
                && !response.isCommitted()) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "WebSocket upgrade failed");
        }
    }

    /**
     * Upgrades to a WebSocket served by {@code endpoint}, a handler of Jetty's WebSocket core (what
     * {@code JettyWebSocketServerContainer.upgrade} does for the Jetty API, without its per-connection wrappers).
     */
    private boolean upgrade(HttpServletRequest request, HttpServletResponse response, TerminalEndpoint endpoint)
            throws IOException {
        Request coreRequest = ServletCoreRequest.wrap(request);
        Response coreResponse = ServletCoreResponse.wrap(coreRequest, response, false);
        // Jetty keeps the request URI, query parameters included, for the connection's lifetime: without the
        // query it keeps less, and no spent token stays in memory
        HttpURI uriWithoutQuery =
                HttpURI.build(coreRequest.getHttpURI()).query(null).asImmutable();
        Request withoutQuery = new Request.Wrapper(coreRequest) {
            @Override
            public HttpURI getHttpURI() {
                return uriWithoutQuery;
            }
        };
        WebSocketNegotiator negotiator = new WebSocketNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) {
                if (!settings.compression()) {
                    resp.setExtensions(List.of()); // browsers offer permessage-deflate: decline it
                }
                return endpoint;
            }
        };
        try (Blocker.Callback callback = Blocker.callback()) {
            // HTTP/1.1 (every terminal) through the handshaker whose connections read on the selector thread;
            // anything else (an HTTP/2 upgrade) as Jetty does it
            boolean upgraded = handshaker.upgradeRequest(
                            negotiator,
                            withoutQuery,
                            coreResponse,
                            callback,
                            mappings.getWebSocketComponents(),
                            settings.session())
                    || !coreResponse.isCommitted()
                            && mappings.upgrade(negotiator, withoutQuery, coreResponse, callback, settings.session());
            if (upgraded) {
                callback.block();
            }
            return upgraded;
        }
    }

    @Override
    public void init() {
        ServletContextHandler context = ServletContextHandler.getServletContextHandler(getServletContext());
        mappings = WebSocketMappings.ensureMappings(context);
        blockingWork = context.getServer().getThreadPool();
    }

    /** The token's payload, or null after answering the refusal. */
    private TokenPayload consumeToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] values = request.getParameterValues("token");
        try {
            if (values != null && values.length > 1) {
                throw new InvalidTokenException("more than one token");
            }
            return tokens.consume(values == null ? null : values[0]);
        } catch (InvalidTokenException e) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, e.getMessage());
        } catch (RuntimeException redisFailed) {
            RedisRefusal.Cause cause = RedisRefusal.causeOf(redisFailed);
            metrics.redisFailure();
            metrics.upgradeRefused(cause.metric());
            String reason = redisRefusal.reason(cause);
            LOG.warn("token check failed, upgrade refused ({}): {}", reason, redisFailed.toString());
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, reason);
        }
        return null;
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write((reason + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
