package io.imcore.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FrameRateTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private int acquired(FrameRate rate, int tries) {
        int ok = 0;
        for (int i = 0; i < tries; i++) {
            ok += rate.tryAcquire() ? 1 : 0;
        }
        return ok;
    }

    @Test
    void aBurstOfTheLimitPassesAndTheNextFrameDoesNot() {
        FrameRate rate = new FrameRate(10, now::get);

        assertThat(acquired(rate, 10)).isEqualTo(10);
        assertThat(rate.tryAcquire()).isFalse();
    }

    @Test
    void theBucketRefillsAtTheLimitPerSecond() {
        FrameRate rate = new FrameRate(10, now::get);
        acquired(rate, 10);

        now.addAndGet(100_000_000L); // 0.1 s: one frame
        assertThat(acquired(rate, 3)).isEqualTo(1);
        now.addAndGet(5_000_000_000L); // long idle: refilled to the burst, not beyond
        assertThat(acquired(rate, 20)).isEqualTo(10);
    }

    @Test
    void aSteadyRateAtTheLimitPasses() {
        FrameRate rate = new FrameRate(10, now::get);
        for (int i = 0; i < 100; i++) {
            now.addAndGet(100_000_000L);
            assertThat(rate.tryAcquire()).isTrue();
        }
    }

    @Test
    void zeroTurnsTheLimitOff() {
        assertThat(acquired(new FrameRate(0, now::get), 100_000)).isEqualTo(100_000);
    }
}
