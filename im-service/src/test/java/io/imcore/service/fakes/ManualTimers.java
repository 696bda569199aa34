package io.imcore.service.fakes;

import io.imcore.service.hub.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link Timers} on a clock that moves only when a test says: {@link #advance} runs what came due. */
public final class ManualTimers implements Timers {
    private final List<Task> tasks = new ArrayList<>();
    private long nowNanos;

    @Override
    public synchronized Runnable after(Duration delay, Runnable task) {
        Task scheduled = new Task(nowNanos + delay.toNanos(), task);
        tasks.add(scheduled);
        return () -> cancel(scheduled);
    }

    private synchronized void cancel(Task task) {
        tasks.remove(task);
    }

    /** Moves the clock on by {@code by} and runs every task that came due, in order. */
    public void advance(Duration by) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            nowNanos += by.toNanos();
            for (Task task : List.copyOf(tasks)) {
                if (task.dueNanos <= nowNanos) {
                    due.add(task);
                    tasks.remove(task);
                }
            }
        }
        due.sort((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
        due.forEach(task -> task.action.run());
    }

    /** Tasks waiting. */
    public synchronized int pending() {
        return tasks.size();
    }

    private record Task(long dueNanos, Runnable action) {}
}
