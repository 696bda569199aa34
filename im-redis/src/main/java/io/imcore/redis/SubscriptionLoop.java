package io.imcore.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Keeps one subscription to a fixed set of pub/sub channels alive on a daemon thread of its own. Jedis does not
 * subscribe again after it lost its connection (a Redis restart, {@code CLIENT KILL}), so this loop does: each
 * attempt takes a new connection, and after a failure it waits, starting at {@link Timing#initialDelay()} and
 * doubling up to {@link Timing#maxDelay()} (back to the start after a subscription that was confirmed).
 * Messages published while it was not subscribed are lost: Redis pub/sub keeps nothing.
 *
 * <p>The {@link Handler} runs on the loop's thread, one message at a time in the order Redis delivered them; an
 * exception it throws is logged and the subscription goes on. {@link #state()} is the loop's own view, fit for
 * a health check. {@link #close()} unsubscribes, waits for the thread to end (at most
 * {@link Timing#stopTimeout()}, after which it closes the connection under it) and closes the connection.
 *
 * <pre>{@code
 * SubscriptionLoop loop = new SubscriptionLoop("im-subscriber", List.of("im:broadcast"),
 *         connections::newSubscriberConnection, (channel, message) -> handle(message),
 *         new SubscriptionLoop.Timing(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5)));
 * loop.start();
 * ...
 * loop.close();
 * }</pre>
 */
public final class SubscriptionLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionLoop.class);
    private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(1);

    private final String name;
    private final List<String> channels;
    private final Supplier<Jedis> connections;
    private final Handler handler;
    private final Timing timing;
    private final Thread thread;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Object monitor = new Object();
    private final AtomicLong subscriptions = new AtomicLong();

    private volatile boolean started;
    private volatile boolean closed;
    private volatile Listener current;
    private volatile Jedis currentConnection;
    private volatile SubscriptionState state = SubscriptionState.STARTING; // written under monitor
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";

    /**
     * @param threadName  the name of its thread, also used in its log lines
     * @param channels    the channels to subscribe to, at least one
     * @param connections opens a new connection for each attempt (it may throw when Redis is unreachable)
     * @param handler     gets the messages and the loop's events
     * @param timing      backoff and stop time
     */
    public SubscriptionLoop(String threadName, List<String> channels, Supplier<Jedis> connections, Handler handler,
                            Timing timing) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs at least one channel");
        }
        this.name = threadName;
        this.channels = List.copyOf(channels);
        this.connections = connections;
        this.handler = handler;
        this.timing = timing;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the thread, which subscribes at once. */
    public void start() {
        started = true;
        thread.start();
    }

    /** The channels it subscribes to. */
    public List<String> channels() {
        return channels;
    }

    /** Where the loop is now. */
    public SubscriptionState state() {
        return state;
    }

    /** Since when it is in {@link #state()}. */
    public Instant since() {
        return since;
    }

    /** The last exception that ended or prevented a subscription, as text; "" before the first. */
    public String lastError() {
        return lastError;
    }

    /** True while subscribed to every channel (set by Redis's confirmation of the last one). */
    public boolean isSubscribed() {
        return state == SubscriptionState.SUBSCRIBED;
    }

    /** Number of times it subscribed, the first time included: more than 1 after a resubscription. */
    public long subscriptions() {
        return subscriptions.get();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Waits until subscribed, at most {@code timeout}.
     *
     * @return true when subscribed, false when the time ran out or the loop is closed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (state != SubscriptionState.SUBSCRIBED && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return state == SubscriptionState.SUBSCRIBED;
        }
    }

    /**
     * Unsubscribes, waits for the thread to end (closing its connection under it after
     * {@link Timing#stopTimeout()}) and releases the connection. Idempotent; may be called from the handler.
     */
    @Override
    public void close() {
        synchronized (monitor) {
            if (closed) {
                return;
            }
            closed = true;
            monitor.notifyAll();
        }
        closedLatch.countDown();
        Listener listener = current;
        if (listener != null && listener.confirmed) {
            listener.unsubscribeOnce();
        }
        if (started && Thread.currentThread() != thread) {
            join(timing.stopTimeout());
            if (thread.isAlive()) {
                LOG.warn("{} did not stop within {} ms: closing its connection", name,
                        timing.stopTimeout().toMillis());
                Jedis connection = currentConnection;
                if (connection != null) {
                    connection.disconnect();
                }
                thread.interrupt();
                join(FORCED_STOP_WAIT);
            }
        }
        setState(SubscriptionState.STOPPED);
    }

    @Override
    public String toString() {
        return name + "{channels=" + channels + ", state=" + state + "}";
    }

    private void run() {
        long delay = timing.initialDelay().toMillis();
        int failures = 0;
        while (!closed) {
            Listener listener = new Listener();
            current = listener;
            Jedis connection = null;
            try {
                connection = connections.get(); // connects: may throw
                currentConnection = connection;
                if (!closed) {
                    connection.subscribe(listener, channels.toArray(String[]::new));
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    lastError = e.toString();
                    if (listener.confirmed) {
                        failures = 1;
                        LOG.warn("{} lost its subscription to {}: {}; subscribing again", name, channels, lastError);
                    } else if (++failures == 1) {
                        LOG.warn("{} could not subscribe to {}: {}; trying again", name, channels, lastError);
                    } else {
                        LOG.debug("{} could not subscribe to {} (attempt {}): {}", name, channels, failures,
                                lastError);
                    }
                }
            } finally {
                current = null;
                currentConnection = null;
                if (connection != null) {
                    closeQuietly(connection);
                }
            }
            if (closed) {
                break;
            }
            setState(SubscriptionState.RECONNECTING);
            try {
                handler.onRetry();
            } catch (RuntimeException e) {
                LOG.warn("{} retry callback failed: {}", name, e.toString());
            }
            if (listener.confirmed) {
                delay = timing.initialDelay().toMillis();
            }
            if (pause(delay)) {
                break;
            }
            delay = Math.min(delay * 2, timing.maxDelay().toMillis());
        }
        setState(SubscriptionState.STOPPED);
        LOG.debug("{} stopped", name);
    }

    /** Waits {@code millis} unless closed first; true when closed. */
    private boolean pause(long millis) {
        try {
            return closedLatch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void setState(SubscriptionState next) {
        synchronized (monitor) {
            if (state != next) {
                state = next;
                since = Instant.now();
            }
            monitor.notifyAll();
        }
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(Jedis connection) {
        try {
            connection.close();
        } catch (RuntimeException e) {
            LOG.debug("{} could not close its connection: {}", name, e.toString());
        }
    }

    /**
     * What a {@link SubscriptionLoop} tells its user, on the loop's thread.
     */
    @FunctionalInterface
    public interface Handler {
        /** A message arrived on {@code channel}. */
        void onMessage(String channel, String message);

        /**
         * Redis confirmed the subscription to every channel.
         *
         * @param again false the first time, true after a subscription was lost and made again (messages may
         *              have been lost meanwhile)
         */
        default void onSubscribed(boolean again) {
        }

        /** The subscription ended or could not be made; the loop waits and tries again. */
        default void onRetry() {
        }
    }

    /**
     * How a {@link SubscriptionLoop} waits.
     *
     * @param initialDelay first pause before subscribing again after a failure
     * @param maxDelay     longest pause; each failure in a row doubles it up to this
     * @param stopTimeout  how long {@link #close()} waits for the thread before closing its connection
     */
    public record Timing(Duration initialDelay, Duration maxDelay, Duration stopTimeout) {
    }

    /** The listener of one subscribe attempt. */
    private final class Listener extends JedisPubSub {
        private final AtomicBoolean unsubscribed = new AtomicBoolean();
        private volatile boolean confirmed;

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (subscribedChannels != channels.size()) {
                return;
            }
            confirmed = true;
            long count = subscriptions.incrementAndGet();
            setState(SubscriptionState.SUBSCRIBED);
            LOG.info("{} subscribed{} to {}", name, count > 1 ? " again" : "", channels);
            try {
                handler.onSubscribed(count > 1);
            } catch (RuntimeException e) {
                LOG.warn("{} subscribe callback failed: {}", name, e.toString());
            }
            if (closed) {
                unsubscribeOnce();
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            try {
                handler.onMessage(channel, message);
            } catch (RuntimeException | StackOverflowError e) {
                // one bad message must not end the subscription: the thread would be gone for good
                LOG.error("{} handler failed on a message from {}", name, channel, e);
            }
        }

        void unsubscribeOnce() {
            if (unsubscribed.compareAndSet(false, true)) {
                try {
                    unsubscribe();
                } catch (RuntimeException e) {
                    LOG.debug("unsubscribe failed: {}", e.toString());
                }
            }
        }
    }
}
