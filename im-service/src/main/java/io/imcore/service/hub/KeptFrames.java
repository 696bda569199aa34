package io.imcore.service.hub;

import io.imcore.protocol.ReceiptStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The frames of a client session that no connection acknowledged yet, oldest first, bounded by count and bytes
 * (the oldest go first, the newest always stays). Each may carry the receipt it decides. Guarded by the session's
 * monitor; a session with nothing unacked holds no instance.
 */
final class KeptFrames {
    private final ArrayDeque<Kept> frames = new ArrayDeque<>();
    private long bytes;

    /** Keeps {@code frame}; returns the receipts of the frames it pushed out (to be answered {@code offline}). */
    List<Consumer<ReceiptStatus>> keep(
            long seq, TextFrame frame, Consumer<ReceiptStatus> receipt, SessionLimits limits) {
        frames.addLast(new Kept(seq, frame, receipt));
        bytes += frame.length();
        List<Consumer<ReceiptStatus>> evicted = List.of();
        while (frames.size() > 1 && (frames.size() > limits.maxFrames() || bytes > limits.maxBytes())) {
            Kept oldest = frames.removeFirst();
            bytes -= oldest.frame.length();
            if (oldest.receipt != null) {
                if (evicted.isEmpty()) {
                    evicted = new ArrayList<>(2);
                }
                evicted.add(oldest.receipt);
            }
        }
        return evicted;
    }

    /** Removes the frames numbered after {@code after} up to {@code upTo}; returns their receipts. */
    List<Consumer<ReceiptStatus>> ack(long after, long upTo) {
        List<Consumer<ReceiptStatus>> receipts = new ArrayList<>(0);
        for (Iterator<Kept> it = frames.iterator(); it.hasNext(); ) {
            Kept kept = it.next();
            if (kept.seq > upTo) {
                break;
            }
            if (kept.seq > after) {
                it.remove();
                bytes -= kept.frame.length();
                if (kept.receipt != null) {
                    receipts.add(kept.receipt);
                }
            }
        }
        return receipts;
    }

    /**
     * The frames numbered after {@code after} when every one up to {@code last} is kept, oldest first; null when
     * one of them is gone.
     */
    List<TextFrame> after(long after, long last) {
        List<TextFrame> replay = new ArrayList<>();
        long expected = after + 1;
        for (Kept kept : frames) {
            if (kept.seq < expected) {
                continue;
            }
            if (kept.seq != expected) {
                return null;
            }
            replay.add(kept.frame);
            expected++;
        }
        return expected == last + 1 ? replay : null;
    }

    /** Empties this and returns every receipt still open. */
    List<Consumer<ReceiptStatus>> clear() {
        List<Consumer<ReceiptStatus>> receipts = new ArrayList<>(0);
        for (Kept kept : frames) {
            if (kept.receipt != null) {
                receipts.add(kept.receipt);
            }
        }
        frames.clear();
        bytes = 0;
        return receipts;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    private record Kept(long seq, TextFrame frame, Consumer<ReceiptStatus> receipt) {}
}
