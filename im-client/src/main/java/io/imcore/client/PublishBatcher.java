package io.imcore.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of publishes: concurrent synchronous callers are combined into one pipeline per batch, and
 * asynchronous publishes are drained by one lane thread into pipelines, so that Redis answers many {@code XADD}s
 * per round trip.
 *
 * <p>Synchronous ({@link #publish}): a caller queues its publish; while fewer than {@code slots} batches are in
 * flight, a caller whose publish is still queued takes everything queued (up to {@code maxBatch}) and sends it as
 * one batch; the others wait. A lone caller's batch is just its own publish, sent at once: no timer, no linger.
 * Each caller returns, or throws, when its own publish was answered.
 *
 * <p>Asynchronous ({@link #publishAsync}): a bounded queue that one lane thread drains, one batch in flight at a
 * time, so the async publishes keep their order. While the queue is full the caller waits, at most
 * {@code offerWait}; then the returned future fails with {@link ImException}.
 */
final class PublishBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(PublishBatcher.class);

    /** Sends one batch: completes each publish of it; what it leaves open fails with what it threw. */
    @FunctionalInterface
    interface Sender {
        void send(List<Publish> batch);
    }

    /** One caller's publish: envelope JSON by stream, answered through {@link #result}. */
    static final class Publish {
        final String operation;
        final Map<String, String> streams;
        final CompletableFuture<Void> result = new CompletableFuture<>();

        Publish(String operation, Map<String, String> streams) {
            this.operation = operation;
            this.streams = streams;
        }
    }

    private final Sender sender;
    private final int slots;
    private final int maxBatch;
    private final int asyncCapacity;
    private final Duration offerWait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchDone = lock.newCondition();
    private final Condition asyncQueued = lock.newCondition();
    private final Condition asyncRoom = lock.newCondition();
    private final ArrayDeque<Publish> queue = new ArrayDeque<>();
    private final ArrayDeque<Publish> asyncQueue = new ArrayDeque<>();
    private int inFlight;
    private boolean closed;
    private Thread lane;

    PublishBatcher(Sender sender, int slots, int maxBatch, int asyncCapacity, Duration offerWait) {
        if (slots < 1 || maxBatch < 1 || asyncCapacity < 1) {
            throw new IllegalArgumentException("slots, maxBatch and asyncCapacity must be at least 1");
        }
        this.sender = sender;
        this.slots = slots;
        this.maxBatch = maxBatch;
        this.asyncCapacity = asyncCapacity;
        this.offerWait = offerWait;
    }

    /**
     * Publishes {@code publish} in the next batch and returns when it was answered.
     *
     * @throws RuntimeException what its answer failed with
     * @throws IllegalStateException once closed
     */
    void publish(Publish publish) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this ImClient is closed");
            }
            queue.add(publish);
            while (!publish.result.isDone()) {
                if (inFlight < slots && !queue.isEmpty()) {
                    inFlight++;
                    List<Publish> batch = drain(queue);
                    lock.unlock();
                    try {
                        send(batch);
                    } finally {
                        lock.lock();
                        inFlight--;
                        batchDone.signalAll();
                    }
                } else {
                    batchDone.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        rethrow(publish.result);
    }

    /**
     * Queues {@code publish} for the lane thread, waiting at most {@code offerWait} while the queue is full.
     *
     * @return completes when it was answered; fails with what its answer failed with, or with {@link ImException}
     *     when the queue stayed full
     * @throws IllegalStateException once closed
     */
    CompletableFuture<Void> publishAsync(Publish publish) {
        lock.lock();
        try {
            long nanos = offerWait.toNanos();
            while (!closed && asyncQueue.size() >= asyncCapacity) {
                if (nanos <= 0) {
                    publish.result.completeExceptionally(new ImException(publish.operation
                            + ": the async publish queue stayed full (" + asyncCapacity + " envelopes) for "
                            + offerWait.toMillis() + " ms: Redis is slower than the publishers"));
                    return publish.result;
                }
                try {
                    nanos = asyncRoom.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    publish.result.completeExceptionally(
                            new ImException(publish.operation + ": interrupted while the async queue was full", e));
                    return publish.result;
                }
            }
            if (closed) {
                throw new IllegalStateException("this ImClient is closed");
            }
            if (lane == null) {
                lane = new Thread(this::runLane, "imcore-publish-lane");
                lane.setDaemon(true);
                lane.start();
            }
            asyncQueue.add(publish);
            asyncQueued.signal();
            return publish.result;
        } finally {
            lock.unlock();
        }
    }

    /** Synchronous publishes waiting for a batch now. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Envelopes waiting in the async queue now. */
    int asyncQueued() {
        lock.lock();
        try {
            return asyncQueue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new publishes, lets the lane send what is queued (waiting at most {@code wait}), then fails what is
     * left with {@link IllegalStateException}.
     */
    void close(Duration wait) {
        Thread toJoin;
        lock.lock();
        try {
            closed = true;
            toJoin = lane;
            asyncQueued.signalAll();
            asyncRoom.signalAll();
        } finally {
            lock.unlock();
        }
        if (toJoin != null) {
            try {
                toJoin.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Publish> left;
        lock.lock();
        try {
            left = new ArrayList<>(asyncQueue);
            asyncQueue.clear();
        } finally {
            lock.unlock();
        }
        if (!left.isEmpty()) {
            LOG.warn("{} async publishes not sent: the client was closed", left.size());
        }
        left.forEach(p -> p.result.completeExceptionally(
                new IllegalStateException(p.operation + ": the ImClient was closed before it was sent")));
    }

    private void runLane() {
        while (true) {
            List<Publish> batch;
            lock.lock();
            try {
                while (asyncQueue.isEmpty() && !closed) {
                    asyncQueued.awaitUninterruptibly();
                }
                if (asyncQueue.isEmpty()) {
                    return;
                }
                batch = drain(asyncQueue);
                asyncRoom.signalAll();
            } finally {
                lock.unlock();
            }
            send(batch);
        }
    }

    private List<Publish> drain(ArrayDeque<Publish> from) {
        List<Publish> batch = new ArrayList<>(Math.min(from.size(), maxBatch));
        while (!from.isEmpty() && batch.size() < maxBatch) {
            batch.add(from.poll());
        }
        return batch;
    }

    private void send(List<Publish> batch) {
        RuntimeException failure = null;
        try {
            sender.send(batch);
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new ImException("publishing failed: " + e, e);
            throw e;
        } finally {
            for (Publish publish : batch) {
                if (!publish.result.isDone()) {
                    publish.result.completeExceptionally(
                            failure != null
                                    ? failure
                                    : new IllegalStateException(publish.operation + ": not answered"));
                }
            }
        }
    }

    private static void rethrow(CompletableFuture<Void> result) {
        try {
            result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new ImException("publishing failed: " + cause, cause);
        }
    }
}
