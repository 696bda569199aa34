package io.imcore.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The accounts of a fan-out phase: every one of {@code messages} channel messages must reach each of
 * {@code members} terminals exactly once, as a {@code chan} frame of the right channel. It keeps one bit per
 * (message, member), the latency of every delivery, and per message the time its last member got it.
 */
final class FanoutLedger implements Ledger {
    private final int members;
    private final int messages;
    private final int words;
    private final String chanMark;
    private final String chanName;
    private final AtomicLongArray seen;
    private final AtomicLongArray sentNanos;
    private final AtomicLongArray lastNanos;
    private final AtomicIntegerArray reached;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder wrong = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final Histogram latencyMicros = new ConcurrentHistogram(Stats.HIGHEST_MICROS, 3);

    FanoutLedger(int members, int messages, String chan) {
        this.members = members;
        this.messages = messages;
        this.words = (members + 63) / 64;
        this.chanMark = "\"type\":\"chan\"";
        this.seen = new AtomicLongArray(Math.multiplyExact(words, Math.max(messages, 1)));
        this.sentNanos = new AtomicLongArray(Math.max(messages, 1));
        this.lastNanos = new AtomicLongArray(Math.max(messages, 1));
        this.reached = new AtomicIntegerArray(Math.max(messages, 1));
        this.chanName = "\"chan\":\"" + chan + "\"";
    }

    int members() {
        return members;
    }

    int messages() {
        return messages;
    }

    void sending(int seq, long nowNanos) {
        sentNanos.set(seq, nowNanos);
        published.increment();
    }

    @Override
    public void received(int slot, long seq, String frame, long nowNanos) {
        if (seq >= messages || slot >= members || !frame.contains(chanMark) || !frame.contains(chanName)) {
            wrong.increment();
            return;
        }
        int index = (int) seq * words + (slot >>> 6);
        long bit = 1L << (slot & 63);
        long before;
        do {
            before = seen.get(index);
            if ((before & bit) != 0) {
                duplicates.increment();
                return;
            }
        } while (!seen.compareAndSet(index, before, before | bit));
        delivered.increment();
        latencyMicros.recordValue(Stats.clampMicros(nowNanos - sentNanos.get((int) seq)));
        lastNanos.accumulateAndGet((int) seq, nowNanos, Math::max);
        reached.incrementAndGet((int) seq);
    }

    long published() {
        return published.sum();
    }

    /** Deliveries expected so far: published messages × members. */
    long expected() {
        return published() * members;
    }

    long delivered() {
        return delivered.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long wrong() {
        return wrong.sum();
    }

    long missing() {
        return expected() - delivered();
    }

    Histogram latency() {
        return latencyMicros;
    }

    /** For every message that reached all members: the time from its send to its last member's receipt. */
    Histogram completion() {
        Histogram histogram = new Histogram(Stats.HIGHEST_MICROS, 3);
        long count = published();
        for (int seq = 0; seq < count; seq++) {
            if (reached.get(seq) == members) {
                histogram.recordValue(Stats.clampMicros(lastNanos.get(seq) - sentNanos.get(seq)));
            }
        }
        return histogram;
    }
}
