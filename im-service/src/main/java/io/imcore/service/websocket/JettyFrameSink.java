package io.imcore.service.websocket;

import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.WriteCallback;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Writes a {@link io.imcore.service.hub.Session}'s frames to its Jetty WebSocket session. */
final class JettyFrameSink implements FrameSink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;
    private final Duration closeTimeout;

    JettyFrameSink(Session session, Duration closeTimeout) {
        this.session = session;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public void sendText(String text, WriteCallback callback) {
        session.sendText(text, Callback.from(callback::written, callback::failed));
    }

    @Override
    public void ping() {
        session.sendPing(EMPTY.slice(), Callback.NOOP);
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
}
