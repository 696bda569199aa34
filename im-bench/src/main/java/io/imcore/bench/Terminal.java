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
    /** Acks are batched as imcore.js does: every 32 frames, else by the 100 ms sweep. */
    static final int ACK_EVERY = 32;

    private final boolean acking;
    /** Completes with the nanoTime at which {@code hello} arrived, or exceptionally. */
    final CompletableFuture<Long> ready = new CompletableFuture<>();

    private volatile Session session;
    private volatile boolean helloSeen;
    /** This terminal's place among the connected terminals, set once connecting is over; -1 before. */
    volatile int slot = -1;

    volatile int closeCode;
    /** The highest {@code seq} received, and the one last acknowledged ({@code --acks}). */
    private long receivedSeq;

    private long ackedSeq;

    Terminal(String clientId, FrameRouter router, boolean acking) {
        this.clientId = clientId;
        this.router = router;
        this.acking = acking;
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
        if (acking) {
            noteSeq(frame);
        }
    }

    /** Notes a data frame's {@code seq} (its last field); acks at once every {@link #ACK_EVERY} frames. */
    private void noteSeq(String frame) {
        int at = frame.lastIndexOf("\"seq\":");
        if (at < 0) {
            return;
        }
        long seq = 0;
        for (int i = at + 6; i < frame.length() && Character.isDigit(frame.charAt(i)); i++) {
            seq = seq * 10 + (frame.charAt(i) - '0');
        }
        boolean due;
        synchronized (this) {
            receivedSeq = Math.max(receivedSeq, seq);
            due = receivedSeq - ackedSeq >= ACK_EVERY;
        }
        if (due) {
            ackIfBehind();
        }
    }

    /** Sends {@code ack} for everything received and not yet acknowledged, if anything (the 100 ms sweep). */
    void ackIfBehind() {
        long seq;
        synchronized (this) {
            if (receivedSeq <= ackedSeq) {
                return;
            }
            seq = receivedSeq;
            ackedSeq = seq;
        }
        Session current = session;
        if (current != null && current.isOpen()) {
            current.sendText("{\"type\":\"ack\",\"seq\":" + seq + "}", Callback.NOOP);
        }
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
