package io.imcore.service.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.ErrorFrame;
import io.imcore.protocol.Frame;
import io.imcore.protocol.PingFrame;
import io.imcore.protocol.PongFrame;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.TokenPayload;
import io.imcore.service.hub.Session;
import io.imcore.service.hub.WriteCallback;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.Node;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal's WebSocket. Terminals only receive; the one frame they may send is {@code ping}. Anything
 * else gets an {@code error} frame and the connection stays open.
 */
public final class TerminalEndpoint implements org.eclipse.jetty.websocket.api.Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalEndpoint.class);

    private final Node node;
    private final TokenPayload token;
    private final NodeMetrics metrics;
    private volatile Session session;

    TerminalEndpoint(Node node, TokenPayload token, NodeMetrics metrics) {
        this.node = node;
        this.token = token;
        this.metrics = metrics;
    }

    @Override
    public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session jetty) {
        session = node.connect(token.clientId(), token.metadata(), new JettyFrameSink(jetty));
        if (session == null) {
            jetty.close(CloseCodes.GOING_AWAY, "node shutting down", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketText(String text) {
        Session current = session;
        if (current == null) {
            return;
        }
        current.heard();
        Frame frame;
        try {
            frame = Codec.decodeFrame(text);
        } catch (ProtocolException e) {
            reject(current, errorCodeOf(text), e.getMessage());
            return;
        }
        if (frame instanceof PingFrame) {
            current.send(Codec.encode(new PongFrame(System.currentTimeMillis())), WriteCallback.NONE);
        } else {
            reject(current, ErrorFrame.CODE_UNKNOWN_TYPE, "terminals may only send ping; got " + frame.type());
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        Session current = session;
        if (current != null) {
            current.heard();
            reject(current, ErrorFrame.CODE_UNSUPPORTED, "binary frames are not accepted");
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        Session current = session;
        if (current != null) {
            current.heard();
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        Session current = session;
        if (current != null) {
            current.heard();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        Session current = session;
        if (current != null) {
            node.disconnected(current, statusCode);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("websocket error client={}: {}", token.clientId(), cause.toString());
    }

    /**
     * The error code of a frame that did not decode: {@code unknown-type} for a JSON object whose {@code type}
     * is not {@code ping} (such as {@code {"type":"msg"}}, which fails to decode as a msg frame),
     * {@code invalid-json} for anything else.
     */
    private static String errorCodeOf(String text) {
        JsonNode tree;
        try {
            tree = Codec.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return ErrorFrame.CODE_INVALID_JSON;
        }
        if (tree != null && tree.isObject() && !PingFrame.TYPE.equals(tree.path("type").asText(null))) {
            return ErrorFrame.CODE_UNKNOWN_TYPE;
        }
        return ErrorFrame.CODE_INVALID_JSON;
    }

    private void reject(Session current, String code, String message) {
        metrics.errorFrame();
        String shortMessage = message.length() > 200 ? message.substring(0, 200) + "…" : message;
        current.send(Codec.encode(new ErrorFrame(code, shortMessage)), WriteCallback.NONE);
    }
}
