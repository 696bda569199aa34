package io.imcore.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The accounts of a point-to-point phase: message {@code seq} goes to the terminal in slot {@code target[seq]}
 * and must arrive there exactly once. Latency is receipt time minus the publisher's send time, in microseconds.
 */
final class P2pLedger implements Ledger {
    private final int[] target;
    private final AtomicLongArray sentNanos;
    private final AtomicIntegerArray arrivals;
    private final AtomicIntegerArray failed;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder wrongClient = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final Histogram latencyMicros = new ConcurrentHistogram(Stats.HIGHEST_MICROS, 3);

    /** A ledger of {@code target.length} messages; {@code target[seq]} is the receiver's slot. */
    P2pLedger(int[] target) {
        this.target = target;
        this.sentNanos = new AtomicLongArray(target.length);
        this.arrivals = new AtomicIntegerArray(target.length);
        this.failed = new AtomicIntegerArray(target.length);
    }

    int messages() {
        return target.length;
    }

    int target(int seq) {
        return target[seq];
    }

    /** Called just before message {@code seq} is published. */
    void sending(int seq, long nowNanos) {
        sentNanos.set(seq, nowNanos);
        published.increment();
    }

    /** Called when the publish of message {@code seq} threw: it may or may not have been written. */
    void failed(int seq) {
        failed.set(seq, 1);
    }

    @Override
    public void received(int slot, long seq, String frame, long nowNanos) {
        if (seq >= target.length || target[(int) seq] != slot || !frame.contains("\"type\":\"msg\"")) {
            wrongClient.increment();
            return;
        }
        int n = arrivals.incrementAndGet((int) seq);
        if (n > 1) {
            duplicates.increment();
            return;
        }
        delivered.increment();
        lastDeliveryNanos.accumulateAndGet(nowNanos, Math::max);
        long sent = sentNanos.get((int) seq);
        latencyMicros.recordValue(Stats.clampMicros(nowNanos - sent));
    }

    /** {@return when the last first delivery arrived (System.nanoTime), 0 before any} */
    long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    long published() {
        return published.sum();
    }

    long delivered() {
        return delivered.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long wrongClient() {
        return wrongClient.sum();
    }

    /** Published messages that have not arrived. */
    long missing() {
        return published() - delivered();
    }

    /** Messages whose publish returned normally and that have not arrived: what the run lost. */
    long lost() {
        long lost = 0;
        for (int seq = 0; seq < target.length; seq++) {
            if (sentNanos.get(seq) != 0 && failed.get(seq) == 0 && arrivals.get(seq) == 0) {
                lost++;
            }
        }
        return lost;
    }

    /** Messages whose publish threw and that arrived anyway (written, the answer or the WAIT lost). */
    long failedButDelivered() {
        long count = 0;
        for (int seq = 0; seq < target.length; seq++) {
            if (failed.get(seq) != 0 && arrivals.get(seq) != 0) {
                count++;
            }
        }
        return count;
    }

    Histogram latency() {
        return latencyMicros;
    }
}
