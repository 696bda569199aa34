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
     * Sends the close frame. The close frame waits behind the frames already queued, and a terminal that
     * stopped reading never takes them, so the idle timeout is cut to the close timeout first: once the
     * connection made no progress for that long, Jetty drops the socket and reports the close.
     */
    @Override
    public void close(int code, String reason) {
        session.setIdleTimeout(closeTimeout);
        session.close(code, reason, Callback.NOOP);
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
}
