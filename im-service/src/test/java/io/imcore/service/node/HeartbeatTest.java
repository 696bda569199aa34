package io.imcore.service.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.CloseCodes;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    private static final Duration PERIOD = Duration.ofSeconds(10);

    private final MemoryNode core = new MemoryNode();
    private final AtomicLong now = new AtomicLong(System.nanoTime());
    private final Heartbeat heartbeat = new Heartbeat(core.hub, PERIOD, null, now::get);

    private void onePeriod() {
        for (int i = 0; i < Heartbeat.SLICES; i++) {
            heartbeat.tick();
        }
    }

    @Test
    void everyConnectionIsPingedOncePerPeriodOneSliceAtATime() {
        List<Connection> connections =
                IntStream.range(0, 60).mapToObj(i -> core.connect("c" + i)).toList();

        heartbeat.tick();
        long pingedBySlice =
                connections.stream().filter(c -> c.sink().pings() > 0).count();
        for (int i = 1; i < Heartbeat.SLICES; i++) {
            heartbeat.tick();
        }

        assertThat(pingedBySlice).isBetween(1L, 3L);
        assertThat(connections).allSatisfy(c -> assertThat(c.sink().pings()).isEqualTo(1));
    }

    @Test
    void aConnectionSilentForMoreThanThreePeriodsIsClosedWith1000() {
        Connection silent = core.connect("silent");

        now.set(System.nanoTime() + PERIOD.multipliedBy(3).plusMillis(1).toNanos());
        onePeriod();

        assertThat(silent.sink().closeCode()).isEqualTo(CloseCodes.NORMAL);
        assertThat(silent.sink().closeReason()).isEqualTo("idle timeout");
        assertThat(silent.sink().pings()).isZero();
    }

    @Test
    void aConnectionSilentForThreePeriodsOrLessIsOnlyPinged() {
        Connection quiet = core.connect("quiet");

        now.addAndGet(PERIOD.multipliedBy(3).toNanos());
        onePeriod();

        assertThat(quiet.sink().closeCode()).isZero();
        assertThat(quiet.sink().pings()).isEqualTo(1);
    }
}
