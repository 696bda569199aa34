package io.imcore.service.websocket;

import java.util.function.LongSupplier;

/**
 * A token bucket counting the frames one terminal sends: {@code perSecond} frames a second on average, bursts
 * of up to {@code perSecond}. A limit of 0 allows everything.
 */
final class FrameRate {
    private static final long SECOND = 1_000_000_000L;

    private final long perSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    FrameRate(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    FrameRate(int perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.tokens = perSecond;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** Counts one frame; false when it is over the limit. */
    synchronized boolean tryAcquire() {
        if (perSecond == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        tokens = Math.min(perSecond, tokens + (double) (now - lastNanos) * perSecond / SECOND);
        lastNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
