package io.imcore.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Routes every received frame to the ledger of the phase it is marked with, and counts what belongs to no
 * phase (frames of other runs, receipts, errors) and connections that closed while the run still needed them.
 */
final class FrameRouter {
    static final int MAX_PHASES = 8;

    private final FrameScan scan;
    private final AtomicReferenceArray<Ledger> ledgers = new AtomicReferenceArray<>(MAX_PHASES);
    final LongAdder otherFrames = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();
    final AtomicReference<String> firstOther = new AtomicReference<>();
    final AtomicReference<String> firstClose = new AtomicReference<>();
    private volatile boolean closing;

    FrameRouter(String run) {
        this.scan = new FrameScan(run);
    }

    void register(int phase, Ledger ledger) {
        ledgers.set(phase, ledger);
    }

    /** From now on closes are the bench's own. */
    void closing() {
        closing = true;
    }

    void frame(Terminal terminal, String frame, long nowNanos) {
        long mark = scan.scan(frame);
        int slot = terminal.slot;
        if (mark != FrameScan.NOT_OURS && slot >= 0) {
            int phase = FrameScan.phaseOf(mark);
            Ledger ledger = phase < MAX_PHASES ? ledgers.get(phase) : null;
            if (ledger != null) {
                ledger.received(slot, FrameScan.seqOf(mark), frame, nowNanos);
                return;
            }
        }
        otherFrames.increment();
        firstOther.compareAndSet(null, frame.length() > 300 ? frame.substring(0, 300) : frame);
    }

    void closed(Terminal terminal, int code, String reason) {
        if (!closing) {
            unexpectedCloses.increment();
            firstClose.compareAndSet(null, terminal.clientId() + ": " + code + " " + reason);
        }
    }
}
