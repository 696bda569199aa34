package io.imcore.service.lifecycle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Progress of a {@link Drainer}: what it started with, how many clients it closed, when it finished. */
public final class DrainStatus {
    private final long startedAt;
    private final Duration period;
    private final int clients;
    private final int connections;
    private final AtomicInteger closed = new AtomicInteger();
    private volatile long finishedAt;

    DrainStatus(long startedAt, Duration period, int clients, int connections) {
        this.startedAt = startedAt;
        this.period = period;
        this.clients = clients;
        this.connections = connections;
    }

    void closedOne() {
        closed.incrementAndGet();
    }

    void finished(long at) {
        finishedAt = at;
    }

    /** When the drain started, epoch ms. */
    public long startedAt() {
        return startedAt;
    }

    /** The period the closes are spread over. */
    public Duration period() {
        return period;
    }

    /** Clients on the node when the drain started. */
    public int clients() {
        return clients;
    }

    /** Connections on the node when the drain started. */
    public int connections() {
        return connections;
    }

    /** Clients closed so far. */
    public int closed() {
        return closed.get();
    }

    /** True once every client is closed and the node has left the cluster. */
    public boolean isFinished() {
        return finishedAt != 0;
    }

    /** When it finished, epoch ms; 0 while it runs. */
    public long finishedAt() {
        return finishedAt;
    }
}
