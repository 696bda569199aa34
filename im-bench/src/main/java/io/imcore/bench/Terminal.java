package io.imcore.bench;

import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One benchmark terminal: a WebSocket of one client id. It waits for {@code hello}, then hands every text frame
 * to the {@link FrameRouter}. Jetty answers the node's pings by itself.
 */
public final class Terminal implements Session.Listener.AutoDemanding {
    private final String clientId;
    private final FrameRouter router;
    /** Completes with the nanoTime at which {@code hello} arrived, or exceptionally. */
    final CompletableFuture<Long> ready = new CompletableFuture<>();
    private volatile Session session;
    private volatile boolean helloSeen;
    /** This terminal's place among the connected terminals, set once connecting is over; -1 before. */
    volatile int slot = -1;
    volatile int closeCode;

    Terminal(String clientId, FrameRouter router) {
        this.clientId = clientId;
        this.router = router;
    }

    String clientId() {
        return clientId;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String frame) {
        long now = System.nanoTime();
        if (!helloSeen) {
            helloSeen = true;
            if (frame.contains("\"type\":\"hello\"") && frame.contains("\"clientId\":\"" + clientId + "\"")) {
                ready.complete(now);
            } else {
                ready.completeExceptionally(new IllegalStateException("first frame was not this client's hello: "
                        + (frame.length() > 200 ? frame.substring(0, 200) : frame)));
            }
            return;
        }
        router.frame(this, frame, now);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeCode = statusCode;
        router.closed(this, statusCode, reason);
        ready.completeExceptionally(new IllegalStateException("closed before hello: " + statusCode + " " + reason));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        ready.completeExceptionally(cause);
    }

    boolean isOpen() {
        Session current = session;
        return current != null && current.isOpen() && closeCode == 0;
    }

    void close() {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(1000, "bench done", Callback.NOOP);
        }
    }
}
