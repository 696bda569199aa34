package io.imcore.service.websocket;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * A terminal's WebSocket connection whose reads run on the selector thread that found the socket readable,
 * instead of on a pool thread woken for each read (Jetty's default for a connection, which must assume that its
 * handler may block). What a terminal sends is small and handled without blocking (an ack, a ping), so a frame
 * costs no thread hand-off: measured, that hand-off was most of what an ack cost the node.
 *
 * <p>The reads run tagged as non-blocking ({@link Invocable#isNonBlockingInvocation()}): what may block after a
 * read (the Redis work of a close, in {@link TerminalEndpoint#onClosed}) checks the tag and goes to a pool thread.
 */
final class SelectorReadConnection extends WebSocketConnection {
    private final Callback readable = new Readable();

    SelectorReadConnection(
            EndPoint endPoint,
            Executor executor,
            Scheduler scheduler,
            ByteBufferPool byteBufferPool,
            WebSocketCoreSession coreSession) {
        super(endPoint, executor, scheduler, byteBufferPool, coreSession);
    }

    @Override
    public void fillInterested() {
        fillInterested(readable);
    }

    /** One small object per connection (a connection's memory counts: 15,000 idle ones per node). */
    private final class Readable implements Callback, Runnable {
        @Override
        public void succeeded() {
            Invocable.invokeNonBlocking(this);
        }

        @Override
        public void run() {
            onFillable();
        }

        @Override
        public void failed(Throwable cause) {
            onFillInterestedFailed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
