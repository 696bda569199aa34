package io.imcore.service.websocket;

import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.WriteCallback;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Writes a {@link io.imcore.service.hub.Session}'s frames to its Jetty WebSocket session. */
final class JettyFrameSink implements FrameSink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;

    JettyFrameSink(Session session) {
        this.session = session;
    }

    @Override
    public void sendText(String text, WriteCallback callback) {
        session.sendText(text, Callback.from(callback::written, callback::failed));
    }

    @Override
    public void ping() {
        session.sendPing(EMPTY.slice(), Callback.NOOP);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
