package io.imcore.service.node;

import io.dropwizard.lifecycle.Managed;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.hub.Hub;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Pings every connection once per heartbeat period and closes those silent for more than 3 periods, one slice
 * of the connections at a time on the scheduler. Pinging every connection at once was a burst of 10,000 socket
 * writes every 25 s that delayed the messages written meanwhile (it showed in im-bench's p2p p99); spread over
 * {@link #SLICES} slices, each connection is still pinged once per period.
 */
public final class Heartbeat implements Managed {
    /** Slices of the period over which the pings are spread. */
    static final int SLICES = 25;

    private final Hub hub;
    private final Duration period;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private long ticks; // the scheduler's thread only
    private ScheduledFuture<?> task;

    public Heartbeat(Hub hub, Duration period, ScheduledExecutorService scheduler) {
        this(hub, period, scheduler, System::nanoTime);
    }

    Heartbeat(Hub hub, Duration period, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this.hub = hub;
        this.period = period;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void start() {
        long slice = Math.max(1, period.toMillis() / SLICES);
        task = scheduler.scheduleWithFixedDelay(this::tick, slice, slice, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** One slice: pings the connections of this slice and closes those silent for more than 3 periods. */
    void tick() {
        long slice = ticks++ % SLICES;
        long now = nanoTime.getAsLong();
        long limit = period.multipliedBy(3).toNanos();
        hub.forEachSession(session -> {
            if (session.id() % SLICES != slice) {
                return;
            }
            if (session.silentNanos(now) > limit) {
                session.close(CloseCodes.NORMAL, "idle timeout", PresenceEvent.REASON_DISCONNECT);
            } else {
                session.ping();
            }
        });
    }
}
