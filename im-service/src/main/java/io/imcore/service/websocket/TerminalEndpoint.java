package io.imcore.service.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.AckFrame;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.ErrorFrame;
import io.imcore.protocol.Frame;
import io.imcore.protocol.PingFrame;
import io.imcore.protocol.PongFrame;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.TokenPayload;
import io.imcore.service.hub.ResumeRequest;
import io.imcore.service.hub.Session;
import io.imcore.service.hub.WriteCallback;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.ConnectRefusedException;
import io.imcore.service.node.Node;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal's WebSocket. Terminals only receive; the frames they may send are {@code ping} and {@code ack}
 * (PROTOCOL.md section 3.1: an ack beyond the last number gets an {@code invalid-ack} error). Anything
 * else gets an {@code error} frame and the connection stays open, unless the terminal sends more frames a
 * second than allowed: then it is closed with 1008. A text message over the size limit closes it with 1009,
 * invalid UTF-8 with 1007.
 *
 * <p>It is a handler of Jetty's WebSocket core rather than of Jetty's WebSocket API: the API layer keeps the
 * whole upgrade request (servlet request, HTTP fields, the HTTP connection) alive for the connection's lifetime,
 * which was most of a connection's memory, and adds a String conversion and method-handle calls per frame. The
 * price is that this class assembles fragmented messages and demands every frame itself.
 */
public final class TerminalEndpoint implements FrameHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalEndpoint.class);

    private final Node node;
    private final TokenPayload token;
    private final ResumeRequest resume;
    private final NodeMetrics metrics;
    private final EndpointSettings settings;
    private final FrameRate rate;
    private final Executor blockingWork;
    private volatile Session session;
    private volatile CoreFrameSink sink;
    private CoreSession coreSession;
    /** The message being assembled from fragments, null between messages. */
    private Utf8StringBuilder fragments;

    private byte fragmentsOpCode;
    private long fragmentsSize;

    TerminalEndpoint(
            Node node,
            TokenPayload token,
            ResumeRequest resume,
            NodeMetrics metrics,
            EndpointSettings settings,
            Executor blockingWork) {
        this.node = node;
        this.blockingWork = blockingWork;
        this.token = token;
        this.resume = resume;
        this.metrics = metrics;
        this.settings = settings;
        this.rate = new FrameRate(settings.maxFramesPerSecond());
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.coreSession = coreSession;
        sink = new CoreFrameSink(coreSession, settings.closeTimeout());
        try {
            session = node.connect(token.clientId(), token.metadata(), sink, resume);
        } catch (ConnectRefusedException refused) {
            metrics.closed(refused.closeCode());
            sink.close(refused.closeCode(), refused.getMessage());
        } catch (RuntimeException e) {
            LOG.error("connect of client {} failed", token.clientId(), e);
            callback.failed(e); // Jetty closes with 1011
            return;
        }
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(org.eclipse.jetty.websocket.core.Frame frame, Callback callback) {
        try {
            handle(frame, callback);
        } catch (RuntimeException e) {
            LOG.error("frame of client {} failed", token.clientId(), e);
            callback.failed(e); // Jetty closes with 1011
        }
    }

    private void handle(org.eclipse.jetty.websocket.core.Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.PING, OpCode.PONG -> heard(); // Jetty answers a ping with a pong once callback completes
            case OpCode.TEXT, OpCode.BINARY -> {
                fragmentsOpCode = frame.getOpCode();
                if (!assemble(frame, callback)) {
                    return;
                }
            }
            case OpCode.CONTINUATION -> {
                if (!assemble(frame, callback)) {
                    return;
                }
            }
            default -> {
                // CLOSE: Jetty answers it once callback completes; nothing more will be read
                callback.succeeded();
                return;
            }
        }
        callback.succeeded();
        coreSession.demand();
    }

    /**
     * Adds a data frame to the message being assembled and handles the message on its last frame; false when it
     * failed {@code callback} (message too large, invalid UTF-8), which closes the connection.
     */
    private boolean assemble(org.eclipse.jetty.websocket.core.Frame frame, Callback callback) {
        fragmentsSize += frame.getPayloadLength();
        if (fragmentsSize > coreSession.getMaxTextMessageSize()) {
            long size = fragmentsSize;
            resetFragments();
            callback.failed(new MessageTooLargeException(
                    String.format("message too large: %,d > %,d bytes", size, coreSession.getMaxTextMessageSize())));
            return false;
        }
        if (fragmentsOpCode == OpCode.BINARY) {
            if (frame.isFin()) {
                resetFragments();
                onBinary();
            }
            return true;
        }
        if (fragments == null) {
            fragments = new Utf8StringBuilder(frame.getPayloadLength());
        }
        fragments.append(frame.getPayload());
        if (!frame.isFin()) {
            return true;
        }
        String text;
        try {
            text = fragments.takeCompleteString(BadPayloadException.InvalidUtf8::new);
        } catch (BadPayloadException e) {
            resetFragments();
            callback.failed(e);
            return false;
        }
        resetFragments();
        onText(text);
        return true;
    }

    private static final String ACK_PREFIX = "{\"type\":\"ack\",\"seq\":";

    /**
     * The {@code seq} of an ack written exactly as imcore.js writes it ({@code {"type":"ack","seq":n}}), else -1
     * (then the codec decodes the frame): a terminal may ack every frame it gets, and this spares the JSON parser.
     */
    static long canonicalAckSeq(String text) {
        int end = text.length() - 1;
        if (!text.startsWith(ACK_PREFIX)
                || end <= ACK_PREFIX.length()
                || text.charAt(end) != '}'
                || end - ACK_PREFIX.length() > 18
                || (text.charAt(ACK_PREFIX.length()) == '0' && end - ACK_PREFIX.length() > 1)) {
            return -1; // not canonical (a leading zero is not even JSON): the codec decides
        }
        long seq = 0;
        for (int i = ACK_PREFIX.length(); i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            seq = seq * 10 + (c - '0');
        }
        return seq;
    }

    private void ack(Session current, long seq) {
        if (!node.ack(current, seq)) {
            metrics.invalidAck();
            reject(
                    current,
                    ErrorFrame.CODE_INVALID_ACK,
                    "ack " + seq + " is beyond the last sequence number " + node.lastSeq(current));
        }
    }

    private void resetFragments() {
        fragments = null;
        fragmentsSize = 0;
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

    private void onText(String text) {
        Session current = heard();
        if (current == null) {
            return;
        }
        long canonicalAck = canonicalAckSeq(text);
        if (canonicalAck >= 0) {
            ack(current, canonicalAck);
            return;
        }
        Frame frame;
        try {
            frame = Codec.decodeFrame(text);
        } catch (ProtocolException e) {
            reject(current, errorCodeOf(text), e.getMessage());
            return;
        }
        if (frame instanceof AckFrame ack) {
            ack(current, ack.seq());
        } else if (frame instanceof PingFrame) {
            current.send(Codec.encode(new PongFrame(System.currentTimeMillis())), WriteCallback.NONE);
        } else {
            reject(current, ErrorFrame.CODE_UNKNOWN_TYPE, "terminals may only send ping and ack; got " + frame.type());
        }
    }

    private void onBinary() {
        Session current = heard();
        if (current != null) {
            reject(current, ErrorFrame.CODE_UNSUPPORTED, "binary frames are not accepted");
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        LOG.debug("websocket error client={}: {}", token.clientId(), cause.toString());
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        Session current = session;
        if (current != null) {
            // a close the node started is counted by its code, also when the terminal never answered it
            int sent = sink.sentCloseCode();
            int code = sent != 0 ? sent : closeStatus.getCode();
            if (Invocable.isNonBlockingInvocation()) {
                // on the selector thread (SelectorReadConnection): the close's Redis work must not hold it
                disconnectElsewhere(current, code);
            } else {
                node.disconnected(current, code);
            }
        }
        callback.succeeded();
    }

    /**
     * Runs the close's work on a pool thread; inline when the pool refuses it (stopping, or its queue full in a
     * mass disconnect): slower for the other terminals' reads, never a close left undone.
     */
    private void disconnectElsewhere(Session current, int code) {
        try {
            blockingWork.execute(() -> node.disconnected(current, code));
        } catch (RejectedExecutionException refused) {
            node.disconnected(current, code);
        }
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
        String type = tree != null && tree.isObject() ? tree.path("type").asText(null) : null;
        if (AckFrame.TYPE.equals(type)) {
            return ErrorFrame.CODE_INVALID_ACK;
        }
        if (tree != null && tree.isObject() && !PingFrame.TYPE.equals(type)) {
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
