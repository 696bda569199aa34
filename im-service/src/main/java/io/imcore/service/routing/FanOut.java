package io.imcore.service.routing;

import io.imcore.service.hub.Session;
import io.imcore.service.hub.TextFrame;
import io.imcore.service.hub.WriteCallback;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one frame to many connections, splitting a large list over helper threads and waiting for all of
 * them before it returns. The caller (the reader thread) hands over the next envelope only after that, so
 * every connection still gets its frames in the order the envelopes arrived.
 *
 * <p>Each write costs a socket write in the calling thread (Jetty writes through when the connection is idle),
 * so a channel of 10,000 local members is 10,000 writes; profiled with im-bench, that loop on one thread was what
 * the time to reach every member was made of. Lists shorter than {@link #MIN_PER_THREAD} per thread are written
 * inline: a hand-off costs more than it saves there. Parallelism defaults to the number of processors (at most 4)
 * and can be set with the system property {@code imcore.fanoutParallelism} (1 writes everything inline).
 */
final class FanOut {
    static final int MIN_PER_THREAD = 256;
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    private final int parallelism;
    private final ExecutorService helpers;

    FanOut(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        if (this.parallelism > 1) {
            AtomicInteger count = new AtomicInteger();
            this.helpers = Executors.newFixedThreadPool(this.parallelism - 1, runnable -> {
                Thread thread = new Thread(runnable, "im-fanout-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        } else {
            this.helpers = null;
        }
    }

    /** The parallelism of the system property {@code imcore.fanoutParallelism}, else min(processors, 4). */
    static FanOut fromSystemProperty() {
        int defaultParallelism = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new FanOut(Integer.getInteger("imcore.fanoutParallelism", defaultParallelism));
    }

    /** Sends {@code frame} to every session, with the same {@code callback}; returns when every send was made. */
    void send(List<Session> sessions, TextFrame frame, WriteCallback callback) {
        forEach(sessions, session -> session.send(frame, callback));
    }

    /**
     * Runs {@code send} for every target (a client's sends are made by one thread, in order); returns when every
     * one ran.
     */
    <T> void forEach(List<T> targets, Consumer<T> send) {
        int n = targets.size();
        int chunks = Math.min(parallelism, n / MIN_PER_THREAD);
        if (chunks <= 1) {
            sendRange(targets, 0, n, send);
            return;
        }
        CountDownLatch helpersDone = new CountDownLatch(chunks - 1);
        for (int chunk = 1; chunk < chunks; chunk++) {
            int from = (int) ((long) n * chunk / chunks);
            int to = (int) ((long) n * (chunk + 1) / chunks);
            helpers.execute(() -> {
                try {
                    sendRange(targets, from, to, send);
                } catch (RuntimeException e) {
                    LOG.error("fan-out write failed", e);
                } finally {
                    helpersDone.countDown();
                }
            });
        }
        try {
            sendRange(targets, 0, n / chunks, send);
        } finally {
            awaitUninterruptibly(helpersDone);
        }
    }

    private static <T> void sendRange(List<T> targets, int from, int to, Consumer<T> send) {
        for (int i = from; i < to; i++) {
            send.accept(targets.get(i));
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
