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
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.ConnectRefusedException;
import io.imcore.service.node.Node;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal's WebSocket. Terminals only receive; the one frame they may send is {@code ping}. Anything
 * else gets an {@code error} frame and the connection stays open, unless the terminal sends more frames a
 * second than allowed: then it is closed with 1008.
 */
public final class TerminalEndpoint implements org.eclipse.jetty.websocket.api.Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalEndpoint.class);

    private final Node node;
    private final TokenPayload token;
    private final NodeMetrics metrics;
    private final EndpointSettings settings;
    private final FrameRate rate;
    private volatile Session session;

    TerminalEndpoint(Node node, TokenPayload token, NodeMetrics metrics, EndpointSettings settings) {
        this.node = node;
        this.token = token;
        this.metrics = metrics;
        this.settings = settings;
        this.rate = new FrameRate(settings.maxFramesPerSecond());
    }

    @Override
    public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session jetty) {
        JettyFrameSink sink = new JettyFrameSink(jetty, settings.closeTimeout());
        try {
            session = node.connect(token.clientId(), token.metadata(), sink);
        } catch (ConnectRefusedException refused) {
            metrics.closed(refused.closeCode());
            sink.close(refused.closeCode(), refused.getMessage());
        }
    }

    /** The open session of a frame that arrived within the rate limit, else null (and the session closes). */
    private Session heard() {
        Session current = session;
        if (current == null) {
            return null;
        }
        current.heard();
        if (!rate.tryAcquire()) {
            current.close(CloseCodes.POLICY, "too many frames", PresenceEvent.REASON_DISCONNECT);
            return null;
        }
        return current;
    }

    @Override
    public void onWebSocketText(String text) {
        Session current = heard();
        if (current == null) {
            return;
        }
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
        Session current = heard();
        if (current != null) {
            reject(current, ErrorFrame.CODE_UNSUPPORTED, "binary frames are not accepted");
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        heard();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        heard();
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
        } catch (JsonProcessingException | RuntimeException e) { // e.g. NumberFormatException for 1e2147483648
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
