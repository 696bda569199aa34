package io.imcore.bench;

import java.net.URI;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A terminal of the churn scenario that behaves as a real one does: whenever its connection closes or cannot be
 * opened, it asks for a new URL ({@code prevConnectServer}) and connects again, {@link #RETRY_MILLIS} later, until
 * a node says {@code hello}. At most one connection attempt is under way at a time. It counts its reconnects and
 * how long each took (close to {@code hello}).
 */
final class ChurnClient {
    static final long RETRY_MILLIS = 200;
    /** The first reason a connect failed, for the report. */
    static final AtomicReference<String> FIRST_FAILURE = new AtomicReference<>();

    private final RunContext ctx;
    private final String clientId;
    private final ScheduledExecutorService retries;
    private final Consumer<String> frames;
    private final ReconnectListener reconnected;
    private final IntConsumer closed;
    private volatile Attempt current;
    private volatile boolean stopped;
    private volatile long closedAt;
    private volatile int closeCode;

    /**
     * @param frames      every frame after {@code hello}
     * @param reconnected told the close code and the nanoseconds from that close to the next {@code hello}
     * @param closed      the close code of a connection that was past {@code hello} (-1: lost without a close)
     */
    ChurnClient(
            RunContext ctx,
            String clientId,
            ScheduledExecutorService retries,
            Consumer<String> frames,
            ReconnectListener reconnected,
            IntConsumer closed) {
        this.ctx = ctx;
        this.clientId = clientId;
        this.retries = retries;
        this.frames = frames;
        this.reconnected = reconnected;
        this.closed = closed;
    }

    String clientId() {
        return clientId;
    }

    /** True while connected past {@code hello}. */
    boolean isReady() {
        Attempt attempt = current;
        return attempt != null && attempt.ready;
    }

    void connect() {
        if (stopped) {
            return;
        }
        Attempt attempt = new Attempt(this);
        current = attempt;
        try {
            String url = ctx.im().prevConnectServer(clientId, "bench");
            ctx.ws().connect(attempt, URI.create(url)).whenComplete((opened, error) -> {
                if (error != null) {
                    attempt.ended(error.toString(), 0);
                }
            });
        } catch (Exception e) {
            attempt.ended(e.toString(), 0);
        }
    }

    private void ended(Attempt attempt, String failure, int code) {
        if (failure != null) {
            FIRST_FAILURE.compareAndSet(null, failure);
        }
        if (attempt.ready) {
            attempt.ready = false;
            closedAt = System.nanoTime();
            closeCode = code;
            closed.accept(code);
        }
        if (!stopped && current == attempt) {
            retries.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void hello() {
        if (closedAt != 0) {
            reconnected.reconnected(closeCode, System.nanoTime() - closedAt);
            closedAt = 0;
        }
    }

    void stop() {
        stopped = true;
        Attempt attempt = current;
        if (attempt != null && attempt.session != null && attempt.session.isOpen()) {
            attempt.session.close(1000, "bench done", Callback.NOOP);
        }
    }

    /** Hears each reconnect. */
    interface ReconnectListener {
        void reconnected(int closeCode, long nanos);
    }

    /**
     * One connection attempt and, if it opens, its connection: the first of a failed connect, an error and a close
     * ends it, once. Public only because Jetty calls the listener methods reflectively.
     */
    public static final class Attempt implements Session.Listener.AutoDemanding {
        private final ChurnClient client;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile Session session;
        private volatile boolean ready;

        Attempt(ChurnClient client) {
            this.client = client;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            this.session = opened;
        }

        @Override
        public void onWebSocketText(String frame) {
            if (!ready) {
                if (FrameScan.typeOf(frame).equals("hello")) {
                    ready = true;
                    client.hello();
                }
                return;
            }
            client.frames.accept(frame);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            ended(null, statusCode);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            ended(cause.toString(), -1);
        }

        void ended(String failure, int code) {
            if (over.compareAndSet(false, true)) {
                client.ended(this, failure, code);
            }
        }
    }
}
