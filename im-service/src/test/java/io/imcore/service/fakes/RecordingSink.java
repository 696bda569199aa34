package io.imcore.service.fakes;

import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.TextFrame;
import io.imcore.service.hub.WriteCallback;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameSink} standing in for a socket: it records the frames, pings and close, and completes each
 * write as told: at once ({@link Writes#COMPLETE}), as failed ({@link Writes#FAIL}) or not until
 * {@link #completeHeld()} ({@link Writes#HOLD}, a terminal that stopped reading).
 */
public final class RecordingSink implements FrameSink {
    /** How writes complete. */
    public enum Writes {
        COMPLETE,
        FAIL,
        HOLD
    }

    private final List<String> frames = new ArrayList<>();
    private final List<WriteCallback> held = new ArrayList<>();
    private Writes writes;
    private int pings;
    private int closeCode;
    private String closeReason;

    public RecordingSink() {
        this(Writes.COMPLETE);
    }

    public RecordingSink(Writes writes) {
        this.writes = writes;
    }

    public synchronized void writes(Writes next) {
        this.writes = next;
    }

    @Override
    public void sendText(TextFrame frame, WriteCallback callback) {
        Writes now;
        synchronized (this) {
            frames.add(frame.text());
            now = writes;
            if (now == Writes.HOLD) {
                held.add(callback);
                return;
            }
        }
        if (now == Writes.COMPLETE) {
            callback.written();
        } else {
            callback.failed(new IllegalStateException("write failed"));
        }
    }

    /** Completes every held write as written. */
    public void completeHeld() {
        List<WriteCallback> done;
        synchronized (this) {
            done = List.copyOf(held);
            held.clear();
        }
        done.forEach(WriteCallback::written);
    }

    /** Completes every held write as failed, as when the socket broke. */
    public void failHeld() {
        List<WriteCallback> done;
        synchronized (this) {
            done = List.copyOf(held);
            held.clear();
        }
        done.forEach(callback -> callback.failed(new IllegalStateException("socket broke")));
    }

    @Override
    public synchronized void ping() {
        pings++;
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
        }
    }

    /** Text of every frame handed to the socket, oldest first. */
    public synchronized List<String> frames() {
        return List.copyOf(frames);
    }

    public synchronized int pings() {
        return pings;
    }

    /** The code the connection was closed with; 0 while open. */
    public synchronized int closeCode() {
        return closeCode;
    }

    public synchronized String closeReason() {
        return closeReason;
    }
}
