package io.imcore.service.hub;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection of a client and its bounded outbound queue.
 *
 * <p>Frames go to Jetty's own asynchronous writer; this class counts the frames and bytes not yet written
 * and closes the connection as a slow consumer when either bound is passed, so a terminal that stops
 * reading never holds more than the bound in memory. Frames sent before {@link #open} are held back until
 * the {@code hello} frame is written, so {@code hello} is always the first frame. A slow consumer is reported
 * to {@code onSlow} when it is detected, not when its socket finally closes: a terminal that stopped reading
 * may not complete the close for a while.
 */
public final class Session {
    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle QUEUED_FRAMES;
    private static final VarHandle QUEUED_BYTES;
    private static final VarHandle CLOSING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUED_FRAMES = lookup.findVarHandle(Session.class, "queuedFrames", int.class);
            QUEUED_BYTES = lookup.findVarHandle(Session.class, "queuedBytes", long.class);
            CLOSING = lookup.findVarHandle(Session.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id = IDS.incrementAndGet();
    private final String clientId;
    private final String metadata;
    private final FrameSink sink;
    private final QueueLimits limits;
    private final Runnable onSlow;
    // plain fields with VarHandles rather than Atomic* objects: a node holds tens of thousands of sessions
    private volatile int queuedFrames;
    private volatile long queuedBytes;
    private volatile boolean closing;
    /** Frames sent before {@link #open}, guarded by this session's monitor; null once open. */
    private List<Pending> heldBack;

    private volatile boolean open;
    private volatile String closeReason = PresenceEvent.REASON_DISCONNECT;
    private volatile long lastHeardNanos = System.nanoTime();
    /** The client's session and this connection's last ack; guarded by the session's monitor (ClientSessions). */
    ClientSession clientSession;

    long acked;

    /**
     * A connection of {@code clientId} that writes through {@code sink}; {@code onSlow} runs once if it is
     * closed as a slow consumer.
     */
    public Session(String clientId, String metadata, FrameSink sink, QueueLimits limits, Runnable onSlow) {
        this.clientId = clientId;
        this.metadata = metadata;
        this.sink = sink;
        this.limits = limits;
        this.onSlow = onSlow;
    }

    public long id() {
        return id;
    }

    public String clientId() {
        return clientId;
    }

    public String metadata() {
        return metadata;
    }

    /** Writes {@code hello} first, then every frame sent before, and from then on writes directly. */
    public void open(String hello) {
        open(hello, List.of());
    }

    /**
     * Writes {@code hello}, then the frames of a resumed session it missed ({@code replay}), then every frame sent
     * before, and from then on writes directly.
     */
    public void open(String hello, List<TextFrame> replay) {
        open(TextFrame.of(hello), replay);
    }

    private synchronized void open(TextFrame hello, List<TextFrame> replay) {
        write(hello, WriteCallback.NONE);
        for (TextFrame frame : replay) {
            write(frame, WriteCallback.NONE);
        }
        if (heldBack != null) {
            for (Pending pending : heldBack) {
                write(pending.frame, pending.callback);
            }
            heldBack = null;
        }
        open = true;
    }

    /** Queues {@code frame}; {@code callback} hears whether it was written. */
    public void send(String frame, WriteCallback callback) {
        send(TextFrame.of(frame), callback);
    }

    /** Queues {@code frame}, which may be shared with other sessions; {@code callback} hears whether it was written. */
    public void send(TextFrame frame, WriteCallback callback) {
        if (!open) {
            synchronized (this) {
                if (!open) {
                    if (heldBack == null) {
                        heldBack = new ArrayList<>(4);
                    }
                    heldBack.add(new Pending(frame, callback));
                    return;
                }
            }
        }
        write(frame, callback);
    }

    private void write(TextFrame frame, WriteCallback callback) {
        if (closing) {
            callback.failed(new IllegalStateException("connection closing"));
            return;
        }
        int frames = (int) QUEUED_FRAMES.getAndAdd(this, 1) + 1;
        long bytes = (long) QUEUED_BYTES.getAndAdd(this, (long) frame.length()) + frame.length();
        if (frames > limits.maxFrames()) {
            unqueue(frame);
            callback.failed(new IllegalStateException("slow consumer"));
            closeSlow(CloseCodes.SLOW_CONSUMER_FRAMES);
            return;
        }
        if (bytes > limits.maxBytes()) {
            unqueue(frame);
            callback.failed(new IllegalStateException("slow consumer"));
            closeSlow(CloseCodes.SLOW_CONSUMER_BYTES);
            return;
        }
        sink.sendText(frame, new WriteCallback() {
            @Override
            public void written() {
                unqueue(frame);
                callback.written();
            }

            @Override
            public void failed(Throwable cause) {
                unqueue(frame);
                callback.failed(cause);
            }
        });
    }

    private void unqueue(TextFrame frame) {
        QUEUED_FRAMES.getAndAdd(this, -1);
        QUEUED_BYTES.getAndAdd(this, (long) -frame.length());
    }

    /**
     * Closes the connection once; {@code eventReason} is the offline reason used if this is the
     * client's last connection.
     */
    public void close(int code, String reason, String eventReason) {
        closeOnce(code, reason, eventReason);
    }

    private boolean closeOnce(int code, String reason, String eventReason) {
        if (!CLOSING.compareAndSet(this, false, true)) {
            return false;
        }
        closeReason = eventReason;
        sink.close(code, reason);
        return true;
    }

    private void closeSlow(int code) {
        if (closeOnce(code, "slow consumer", PresenceEvent.REASON_SLOW)) {
            onSlow.run();
        }
    }

    /** Sends a WebSocket ping. */
    public void ping() {
        // the heartbeat sees a connection from when it is registered, before its hello is written: a ping then
        // would be its first frame (the next period pings it)
        if (open && !closing) {
            sink.ping();
        }
    }

    /** Records that something arrived from the terminal. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Nanoseconds since something last arrived from the terminal. */
    public long silentNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    /** The offline event reason for this connection's close. */
    public String closeReason() {
        return closeReason;
    }

    /** Frames waiting to be written. */
    public int queuedFrames() {
        return queuedFrames;
    }

    @Override
    public String toString() {
        return "Session[id=" + id + " client=" + clientId + "]";
    }

    private record Pending(TextFrame frame, WriteCallback callback) {}
}
