package io.imcore.client;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A live subscription to the {@code <P>events} channel (online and offline events, PROTOCOL.md section 5),
 * made by {@link ImClient#eventBus}. It owns one daemon thread and one Redis connection.
 *
 * <p>The callbacks run on that thread, one event at a time in the order Redis delivered them: keep them short
 * or hand the work to an executor. An exception thrown by a callback is logged and counted
 * ({@link #callbackFailures()}); the bus goes on. A message that is not a valid online or offline event is
 * ignored and counted ({@link #invalidMessages()}). After a connection loss the bus subscribes again, with a
 * pause that starts at 100 ms and doubles up to {@link ImClientOptions#resubscribeMaxDelay()}; events published
 * while it was not subscribed are lost (Redis pub/sub keeps nothing).
 *
 * <pre>{@code
 * try (EventBus bus = client.eventBus(e -> log.info("{} online", e.clientId()),
 *                                     e -> log.info("{} offline ({})", e.clientId(), e.reason()))) {
 *     bus.awaitSubscribed(Duration.ofSeconds(5));
 *     ...
 * }
 * }</pre>
 */
public final class EventBus implements AutoCloseable {
    /** First pause before subscribing again after a failure. */
    static final Duration INITIAL_RETRY_DELAY = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final Duration EXTRA_STOP_TIME = Duration.ofSeconds(1);

    private final Supplier<Jedis> connections;
    private final String channel;
    private final Consumer<PresenceEvent> onOnline;
    private final Consumer<PresenceEvent> onOffline;
    private final long maxDelayMillis;
    private final Duration stopTimeout;
    private final Consumer<EventBus> onClosed;
    private final Thread thread;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Object monitor = new Object();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong callbackFailures = new AtomicLong();
    private final AtomicLong subscriptions = new AtomicLong();

    private volatile boolean closed;
    private volatile Listener current;
    private volatile Jedis currentConnection;
    private boolean subscribed; // guarded by monitor

    EventBus(Supplier<Jedis> connections, String channel, Consumer<PresenceEvent> onOnline,
            Consumer<PresenceEvent> onOffline, Duration maxDelay, Duration stopTimeout, Consumer<EventBus> onClosed) {
        this.connections = connections;
        this.channel = channel;
        this.onOnline = onOnline;
        this.onOffline = onOffline;
        this.maxDelayMillis = maxDelay.toMillis();
        this.stopTimeout = stopTimeout.plus(EXTRA_STOP_TIME);
        this.onClosed = onClosed;
        this.thread = new Thread(this::run, "im-client-events-" + THREAD_NUMBER.incrementAndGet());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True while the subscription is live on Redis (set by Redis's subscribe confirmation). */
    public boolean isSubscribed() {
        synchronized (monitor) {
            return subscribed;
        }
    }

    /**
     * Waits until the subscription is live, at most {@code timeout}.
     *
     * @return true when subscribed, false when the time ran out or the bus is closed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!subscribed && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return subscribed;
        }
    }

    /** Number of online and offline events received and passed to the callbacks. */
    public long eventsReceived() {
        return received.get();
    }

    /** Number of messages on the channel that were ignored because they were not valid events. */
    public long invalidMessages() {
        return invalid.get();
    }

    /** Number of callback invocations that threw. */
    public long callbackFailures() {
        return callbackFailures.get();
    }

    /** Number of times the bus subscribed, the first time included: more than 1 after a resubscription. */
    public long subscriptions() {
        return subscriptions.get();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Unsubscribes, waits for the thread to end (a bounded time: the connect and socket timeouts plus one
     * second; then its connection is closed under it) and releases the connection. Idempotent; may be
     * called from a callback.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedLatch.countDown();
        synchronized (monitor) {
            monitor.notifyAll();
        }
        Listener listener = current;
        if (listener != null && listener.confirmed) {
            listener.unsubscribeOnce();
        }
        if (Thread.currentThread() != thread) {
            join(stopTimeout);
            if (thread.isAlive()) {
                LOG.warn("event bus thread {} did not stop within {} ms: closing its connection",
                        thread.getName(), stopTimeout.toMillis());
                Jedis connection = currentConnection;
                if (connection != null) {
                    connection.disconnect();
                }
                thread.interrupt();
                join(EXTRA_STOP_TIME);
            }
        }
        onClosed.accept(this);
    }

    @Override
    public String toString() {
        return "EventBus{channel=" + channel + ", subscribed=" + isSubscribed() + ", closed=" + closed + "}";
    }

    private void run() {
        long delay = INITIAL_RETRY_DELAY.toMillis();
        int failures = 0;
        while (!closed) {
            Listener listener = new Listener();
            current = listener;
            Jedis connection = null;
            try {
                connection = connections.get(); // connects: may throw
                currentConnection = connection;
                if (!closed) {
                    connection.subscribe(listener, channel);
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    if (listener.confirmed) {
                        failures = 1;
                        LOG.warn("event bus lost its subscription to {}: {}; subscribing again", channel,
                                e.toString());
                    } else if (++failures == 1) {
                        LOG.warn("event bus could not subscribe to {}: {}; trying again", channel, e.toString());
                    } else {
                        LOG.debug("event bus could not subscribe to {} (attempt {}): {}", channel, failures,
                                e.toString());
                    }
                }
            } finally {
                setSubscribed(false);
                current = null;
                currentConnection = null;
                if (connection != null) {
                    closeQuietly(connection);
                }
            }
            if (listener.confirmed) {
                delay = INITIAL_RETRY_DELAY.toMillis();
            }
            if (closed || pause(delay)) {
                break;
            }
            delay = Math.min(delay * 2, maxDelayMillis);
        }
        LOG.debug("event bus thread {} stopped", thread.getName());
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

    private void setSubscribed(boolean value) {
        synchronized (monitor) {
            subscribed = value;
            monitor.notifyAll();
        }
    }

    private void handle(String message) {
        Envelope envelope;
        try {
            envelope = Codec.decodeEnvelope(message);
        } catch (ProtocolException e) {
            ignore(e.getMessage());
            return;
        }
        if (!(envelope instanceof PresenceEvent event)) {
            ignore("unexpected envelope type '" + envelope.type() + "'");
            return;
        }
        received.incrementAndGet();
        Consumer<PresenceEvent> callback = event.isOnline() ? onOnline : onOffline;
        if (callback == null) {
            return;
        }
        try {
            callback.accept(event);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            callbackFailures.incrementAndGet();
            LOG.warn("{} callback failed for client={} node={}", event.type(), event.clientId(), event.node(), e);
        }
    }

    private void ignore(String problem) {
        long count = invalid.incrementAndGet();
        if (count == 1 || count % 1000 == 0) {
            LOG.warn("ignored an invalid message on {} ({} so far): {}", channel, count, problem);
        } else {
            LOG.debug("ignored an invalid message on {} ({} so far): {}", channel, count, problem);
        }
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Jedis connection) {
        try {
            connection.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the event bus connection failed: {}", e.toString());
        }
    }

    /** The listener of one subscribe attempt. */
    private final class Listener extends JedisPubSub {
        private final AtomicBoolean unsubscribed = new AtomicBoolean();
        private volatile boolean confirmed;

        @Override
        public void onSubscribe(String subscribedChannel, int subscribedChannels) {
            confirmed = true;
            long count = subscriptions.incrementAndGet();
            setSubscribed(true);
            if (count > 1) {
                LOG.info("event bus subscribed again to {}", subscribedChannel);
            } else {
                LOG.debug("event bus subscribed to {}", subscribedChannel);
            }
            if (closed) {
                unsubscribeOnce();
            }
        }

        @Override
        public void onMessage(String fromChannel, String message) {
            handle(message);
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
