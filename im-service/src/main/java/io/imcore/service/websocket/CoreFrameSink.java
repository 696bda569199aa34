package io.imcore.service.websocket;

import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.TextFrame;
import io.imcore.service.hub.WriteCallback;
import java.time.Duration;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Writes a {@link io.imcore.service.hub.Session}'s frames to its Jetty WebSocket core session: the bytes of a
 * {@link TextFrame} go out as they are, without the per-connection UTF-8 encoding of Jetty's String API.
 */
final class CoreFrameSink implements FrameSink {
    private final CoreSession session;
    private final Duration closeTimeout;
    private volatile int sentCloseCode;

    CoreFrameSink(CoreSession session, Duration closeTimeout) {
        this.session = session;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public void sendText(TextFrame frame, WriteCallback callback) {
        session.sendFrame(new Frame(OpCode.TEXT, true, frame.bytes()), new Written(callback), false);
    }

    @Override
    public void ping() {
        session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }

    /**
     * Sends the close frame, then cuts the idle timeout to the close timeout: the close frame waits behind the
     * frames already queued, and a terminal that stopped reading never takes them, so once the connection made no
     * progress for that long, Jetty drops the socket and reports the close. In this order, not the other: Jetty
     * checks the idle time as soon as the timeout is cut, counting from the connection's last read or write, and
     * on a quiet connection (a terminal idle between pings) it would find it expired and close it with its own
     * 1001 "Connection Idle Timeout" in place of this code (a kick would reach the terminal as 1001, and imcore.js
     * would reconnect). Written first, the close frame is the last write; only a connection whose writes are stuck
     * expires at once, and it could not have received the frame anyway.
     */
    @Override
    public void close(int code, String reason) {
        if (sentCloseCode == 0) {
            sentCloseCode = code;
        }
        session.close(code, reason, Callback.NOOP);
        session.setIdleTimeout(closeTimeout);
    }

    private record Written(WriteCallback callback) implements Callback {
        @Override
        public void succeeded() {
            callback.written();
        }

        @Override
        public void failed(Throwable cause) {
            callback.failed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING; // counters and queue bookkeeping only
        }
    }

    /**
     * The code of the first close the node sent, 0 when it sent none. A terminal that does not answer the close
     * (it stopped reading, or vanished) ends in Jetty's idle timeout, which Jetty reports as 1001 "Connection
     * Idle Timeout"; the connection was closed with this code all the same.
     */
    int sentCloseCode() {
        return sentCloseCode;
    }
}
