package io.imcore.bench;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The accounts of the resume scenario: every point-to-point message must reach its receiver once, every channel
 * message every member once, in publish order per publisher thread, across drops and resumes. A frame counts as
 * replayed when it came on a resumed connection and was published before that connection was asked for. The
 * per-terminal order marks are touched under the receiving {@link ResumeTerminal}'s monitor only.
 */
final class ResumeLedger {
    static final int P2P = 6;
    static final int CHAN = 7;

    private final FrameScan scan;
    private final ScheduledExecutorService scheduler;
    private final int clients;
    private final int publishers;
    private final int[] p2pTarget;
    private final AtomicLongArray p2pSent;
    private final AtomicIntegerArray p2pArrivals;
    private final AtomicLongArray chanSent;
    private final AtomicIntegerArray chanArrivals;
    private final long[][] lastP2p;
    private final long[] lastChan;

    final LongAdder p2pPublished = new LongAdder();
    final LongAdder p2pDelivered = new LongAdder();
    final LongAdder p2pDuplicated = new LongAdder();
    final LongAdder chanPublished = new LongAdder();
    final LongAdder chanDelivered = new LongAdder();
    final LongAdder chanDuplicated = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder wrongClient = new LongAdder();
    final LongAdder otherFrames = new LongAdder();
    final LongAdder replayed = new LongAdder();
    final LongAdder resumesOk = new LongAdder();
    final LongAdder resumesFailed = new LongAdder();
    final LongAdder seqGaps = new LongAdder();
    final LongAdder repeatedSeqs = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder publishErrors = new LongAdder();
    final AtomicReference<String> firstProblem = new AtomicReference<>();
    final Histogram resumeMicros = new ConcurrentHistogram(Stats.HIGHEST_MICROS, 3);
    final Histogram latencyMicros = new ConcurrentHistogram(Stats.HIGHEST_MICROS, 3);

    ResumeLedger(
            String run,
            ScheduledExecutorService scheduler,
            int clients,
            int publishers,
            int[] p2pTarget,
            int chanCapacity) {
        this.scan = new FrameScan(run);
        this.scheduler = scheduler;
        this.clients = clients;
        this.publishers = publishers;
        this.p2pTarget = p2pTarget;
        this.p2pSent = new AtomicLongArray(p2pTarget.length);
        this.p2pArrivals = new AtomicIntegerArray(p2pTarget.length);
        this.chanSent = new AtomicLongArray(chanCapacity);
        this.chanArrivals = new AtomicIntegerArray(chanCapacity * clients);
        this.lastP2p = new long[clients][publishers];
        this.lastChan = new long[clients];
        for (int i = 0; i < clients; i++) {
            java.util.Arrays.fill(lastP2p[i], -1);
            lastChan[i] = -1;
        }
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    int p2pCapacity() {
        return p2pTarget.length;
    }

    int chanCapacity() {
        return chanSent.length();
    }

    int target(int seq) {
        return p2pTarget[seq];
    }

    void sendingP2p(int seq, long now) {
        p2pSent.set(seq, now);
        p2pPublished.increment();
    }

    void sendingChan(int seq, long now) {
        chanSent.set(seq, now);
        chanPublished.increment();
    }

    /** A numbered frame of {@code terminal}; {@code resumedSince} is its connection's start when it resumed, else 0. */
    void received(ResumeTerminal terminal, String frame, long now, long resumedSince) {
        long mark = scan.scan(frame);
        if (mark == FrameScan.NOT_OURS) {
            otherFrames.increment();
            problem(terminal.clientId + " got a frame of no message of this run: " + frame);
            return;
        }
        int phase = FrameScan.phaseOf(mark);
        long seq = FrameScan.seqOf(mark);
        int slot = terminal.slot;
        if (phase == P2P && seq < p2pTarget.length && p2pTarget[(int) seq] == slot) {
            int m = (int) seq;
            if (p2pArrivals.incrementAndGet(m) > 1) {
                p2pDuplicated.increment();
                problem(terminal.clientId + " got message " + m + " twice");
                return;
            }
            p2pDelivered.increment();
            long sent = p2pSent.get(m);
            latencyMicros.recordValue(Stats.clampMicros(now - sent));
            ordered(terminal, lastP2p[slot], m % publishers, m);
            replayed(resumedSince, sent);
        } else if (phase == CHAN && seq < chanSent.length()) {
            int m = (int) seq;
            if (chanArrivals.incrementAndGet(m * clients + slot) > 1) {
                chanDuplicated.increment();
                problem(terminal.clientId + " got channel message " + m + " twice");
                return;
            }
            chanDelivered.increment();
            long sent = chanSent.get(m);
            latencyMicros.recordValue(Stats.clampMicros(now - sent));
            ordered(terminal, lastChan, slot, m);
            replayed(resumedSince, sent);
        } else {
            wrongClient.increment();
            problem(terminal.clientId + " got a message for someone else: " + frame);
        }
    }

    private void ordered(ResumeTerminal terminal, long[] last, int index, long seq) {
        if (seq < last[index]) {
            outOfOrder.increment();
            problem(terminal.clientId + " got " + seq + " after " + last[index]);
        } else {
            last[index] = seq;
        }
    }

    private void replayed(long resumedSince, long sent) {
        if (resumedSince != 0 && sent != 0 && sent - resumedSince < 0) {
            replayed.increment();
        }
    }

    void resume(boolean ok, long nanos) {
        if (ok) {
            resumesOk.increment();
            resumeMicros.recordValue(Stats.clampMicros(nanos));
        } else {
            resumesFailed.increment();
        }
    }

    void seqGap() {
        seqGaps.increment();
    }

    void repeatedSeq() {
        repeatedSeqs.increment();
    }

    void unexpected(boolean afterHello, String what) {
        if (afterHello) {
            unexpectedCloses.increment();
        } else {
            connectFailures.increment();
        }
        problem(what);
    }

    private void problem(String what) {
        firstProblem.compareAndSet(null, what.length() > 300 ? what.substring(0, 300) : what);
    }

    long p2pLost() {
        return p2pPublished.sum() - p2pDelivered.sum();
    }

    long chanExpected() {
        return chanPublished.sum() * clients;
    }

    long chanLost() {
        return chanExpected() - chanDelivered.sum();
    }
}
