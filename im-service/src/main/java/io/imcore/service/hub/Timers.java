package io.imcore.service.hub;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs a task later; a seam so that tests decide when a session's window runs out. */
public interface Timers {
    /** Runs {@code task} after {@code delay}; the returned action cancels it. */
    Runnable after(Duration delay, Runnable task);

    /** Timers on {@code executor}. */
    static Timers of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
