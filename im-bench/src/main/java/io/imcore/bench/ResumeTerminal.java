package io.imcore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A terminal of the resume scenario (PROTOCOL.md 3.1): it connects with {@code &acks=1}, acks as imcore.js does
 * (every 32 frames, else by the 100 ms sweep), and after a drop it asks for a fresh URL and resumes with
 * {@code &session=…&seq=<last number it holds>}. A drop is abrupt: the TCP connection is closed without a
 * WebSocket close frame, and the frames it had not acked are not acked. Its frames go to the {@link
 * ResumeLedger}; the checks of sequence numbers (no gap, no repeat) are its own. Every field that changes with a
 * frame is guarded by this object's monitor.
 */
final class ResumeTerminal {
    static final long RETRY_MILLIS = 200;

    final int slot;
    final String clientId;
    private final RunContext ctx;
    private final ResumeLedger ledger;
    /** Completes when the first connection said {@code hello}. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    private Connection current;
    private String session;
    private long lastSeq;
    private long ackedSeq;
    private boolean stopped;

    ResumeTerminal(int slot, String clientId, RunContext ctx, ResumeLedger ledger) {
        this.slot = slot;
        this.clientId = clientId;
        this.ctx = ctx;
        this.ledger = ledger;
    }

    /** Opens a connection on a fresh URL, resuming the session when there is one. */
    void connect() {
        Connection connection;
        String url;
        synchronized (this) {
            if (stopped) {
                return;
            }
            connection = new Connection(this, System.nanoTime(), session != null);
            current = connection;
            url = session == null
                    ? null
                    : "&acks=1&session=" + URLEncoder.encode(session, StandardCharsets.UTF_8) + "&seq=" + lastSeq;
        }
        try {
            String base = ctx.im().prevConnectServer(clientId, "bench");
            ctx.ws()
                    .connect(connection, URI.create(base + (url == null ? "&acks=1" : url)))
                    .whenComplete((opened, error) -> {
                        if (error != null) {
                            lost(connection, "connect failed: " + error);
                        }
                    });
        } catch (Exception e) {
            lost(connection, "connect failed: " + e);
        }
    }

    /** True while a connection is open past {@code hello}. */
    synchronized boolean isReady() {
        return current != null && current.alive && current.helloSeen;
    }

    /**
     * Drops the connection without a close frame and without acking what it got; it reconnects and resumes after
     * {@code pauseMillis}. False when it is not connected now.
     */
    boolean drop(long pauseMillis) {
        Session socket;
        synchronized (this) {
            if (stopped || current == null || !current.alive || !current.helloSeen) {
                return false;
            }
            current.alive = false;
            socket = current.socket;
        }
        if (socket != null) {
            socket.disconnect();
        }
        ledger.scheduler().schedule(this::connect, pauseMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Acks everything received and not yet acked (the 100 ms sweep). */
    synchronized void ackIfBehind() {
        if (current != null && current.alive && current.helloSeen && lastSeq > ackedSeq) {
            ackedSeq = lastSeq;
            current.socket.sendText("{\"type\":\"ack\",\"seq\":" + lastSeq + "}", Callback.NOOP);
        }
    }

    /** Closes the connection with 1000 and does not reconnect. */
    void stop() {
        Session socket = null;
        synchronized (this) {
            stopped = true;
            if (current != null && current.alive) {
                current.alive = false;
                socket = current.socket;
            }
        }
        if (socket != null && socket.isOpen()) {
            socket.close(1000, "bench done", Callback.NOOP);
        }
    }

    private void text(Connection connection, String frame) {
        long now = System.nanoTime();
        synchronized (this) {
            if (connection != current || !connection.alive) {
                return;
            }
            if (!connection.helloSeen) {
                hello(connection, frame, now);
                return;
            }
            long seq = seqOf(frame);
            if (seq < 0) {
                return; // pong, error: no number
            }
            if (seq <= lastSeq) {
                ledger.repeatedSeq();
                return;
            }
            if (seq != lastSeq + 1) {
                ledger.seqGap();
            }
            lastSeq = seq;
            ledger.received(this, frame, now, connection.resumed ? connection.startNanos : 0);
            if (lastSeq - ackedSeq >= Terminal.ACK_EVERY) {
                ackIfBehind();
            }
        }
    }

    private void hello(Connection connection, String frame, long now) {
        JsonNode hello;
        try {
            hello = Codec.mapper().readTree(frame);
        } catch (Exception e) {
            lost(connection, "first frame is no hello: " + frame);
            return;
        }
        if (!"hello".equals(hello.path("type").asText())) {
            lost(connection, "first frame is no hello: " + frame);
            return;
        }
        connection.helloSeen = true;
        boolean resumed = hello.path("resumed").asBoolean(false);
        if (connection.resumes) {
            ledger.resume(resumed, now - connection.startNanos);
        }
        if (!resumed) {
            // a new session: what was missed is lost (the ledger counts it); numbers go on from hello's
            lastSeq = hello.path("seq").asLong();
        }
        ackedSeq = lastSeq;
        session = hello.path("session").asText();
        connection.resumed = resumed;
        ready.complete(null);
    }

    /** A connection closed, failed or could not open without the bench asking: reconnect, resuming. */
    private void lost(Connection connection, String why) {
        synchronized (this) {
            if (connection != current || !connection.alive || stopped) {
                return;
            }
            connection.alive = false;
            ledger.unexpected(connection.helloSeen, clientId + ": " + why);
        }
        ledger.scheduler().schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The {@code seq} of a data frame (its last field), -1 when it has none. */
    static long seqOf(String frame) {
        int at = frame.lastIndexOf("\"seq\":");
        if (at < 0) {
            return -1;
        }
        long seq = 0;
        int i = at + 6;
        for (; i < frame.length() && Character.isDigit(frame.charAt(i)); i++) {
            seq = seq * 10 + (frame.charAt(i) - '0');
        }
        return i == at + 6 ? -1 : seq;
    }

    /**
     * One connection of the terminal. Public only because Jetty calls the listener methods reflectively.
     */
    public static final class Connection implements Session.Listener.AutoDemanding {
        private final ResumeTerminal terminal;
        final long startNanos;
        final boolean resumes;
        volatile Session socket;
        volatile boolean alive = true;
        boolean helloSeen;
        boolean resumed;

        Connection(ResumeTerminal terminal, long startNanos, boolean resumes) {
            this.terminal = terminal;
            this.startNanos = startNanos;
            this.resumes = resumes;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            this.socket = opened;
        }

        @Override
        public void onWebSocketText(String frame) {
            terminal.text(this, frame);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            terminal.lost(this, "closed " + statusCode + " " + reason);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            terminal.lost(this, cause.toString());
        }
    }
}
