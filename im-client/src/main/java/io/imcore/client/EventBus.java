package io.imcore.client;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import io.imcore.redis.StreamReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * A reader of the {@code <P>events} stream (online and offline events, PROTOCOL.md section 5), made by
 * {@link ImClient#eventBus}. It owns one daemon thread and one Redis connection, and starts at the present: it
 * gets the events published after it started.
 *
 * <p>The callbacks run on that thread, one event at a time in the order of the stream: keep them short or hand
 * the work to an executor. An exception thrown by a callback is logged and counted ({@link #callbackFailures()});
 * the bus goes on. An entry that is not a valid online or offline event is ignored and counted
 * ({@link #invalidMessages()}). After a connection loss the bus connects again, with a pause that starts at
 * 100 ms and doubles up to {@link ImClientOptions#resubscribeMaxDelay()}, and resumes after the last event it
 * read: events published meanwhile are delivered then, none twice. Only a bus further behind than the stream's
 * retention ({@link ImClientOptions#streamMaxLen()}), or a Redis that lost its data, misses events: it logs that
 * at ERROR and counts it ({@link #gaps()}).
 *
 * <pre>{@code
 * try (EventBus bus = client.eventBus(e -> log.info("{} online", e.clientId()),
 *                                     e -> log.info("{} offline ({})", e.clientId(), e.reason()))) {
 *     bus.awaitSubscribed(Duration.ofSeconds(5)); // reading: later events reach it
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
    private static final Duration MAX_BLOCK = Duration.ofSeconds(1);
    private static final int READ_COUNT = 1000;

    private final String channel;
    private final Consumer<PresenceEvent> onOnline;
    private final Consumer<PresenceEvent> onOffline;
    private final Consumer<EventBus> onClosed;
    private final StreamReader loop;
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong callbackFailures = new AtomicLong();

    EventBus(
            Supplier<Jedis> connections,
            String channel,
            Consumer<PresenceEvent> onOnline,
            Consumer<PresenceEvent> onOffline,
            ImClientOptions options,
            Duration stopTimeout,
            Consumer<EventBus> onClosed) {
        this.channel = channel;
        this.onOnline = onOnline;
        this.onOffline = onOffline;
        this.onClosed = onClosed;
        long block = Math.max(
                1, Math.min(MAX_BLOCK.toMillis(), options.socketTimeout().toMillis() / 2));
        this.loop = new StreamReader(
                "im-client-events-" + THREAD_NUMBER.incrementAndGet(),
                List.of(new StreamReader.Feed(channel, StreamReader.Start.END, false)),
                connections,
                new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {
                        handle(envelope);
                    }

                    @Override
                    public void onGap(String feed, StreamEntryID after, StreamEntryID upTo) {
                        gaps.incrementAndGet();
                    }
                },
                new StreamReader.Reading(READ_COUNT, Duration.ofMillis(block), options.streamMaxLen()),
                new StreamReader.Timing(
                        INITIAL_RETRY_DELAY,
                        options.resubscribeMaxDelay(),
                        stopTimeout.plus(EXTRA_STOP_TIME),
                        Duration.ofSeconds(1)));
    }

    void start() {
        loop.start();
    }

    /** True while the bus is connected and reading (its position is set: every later event will reach it). */
    public boolean isSubscribed() {
        return loop.isReading();
    }

    /**
     * Waits until the bus is connected and reading, at most {@code timeout}: every event published after this
     * returned true reaches the callbacks.
     *
     * @return true when reading, false when the time ran out or the bus is closed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return loop.awaitReading(timeout);
    }

    /** Number of gaps found: events removed from the stream (retention, or Redis lost data) before they were read. */
    public long gaps() {
        return gaps.get();
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

    /** Number of times the bus connected, the first time included: more than 1 after a reconnection. */
    public long subscriptions() {
        return loop.connects();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return loop.isClosed();
    }

    /**
     * Stops reading, waits for the thread to end (a bounded time: the connect and socket timeouts plus one
     * second; then its connection is closed under it) and releases the connection. Idempotent; may be
     * called from a callback.
     */
    @Override
    public void close() {
        if (loop.isClosed()) {
            return;
        }
        loop.close();
        onClosed.accept(this);
    }

    @Override
    public String toString() {
        return "EventBus{channel=" + channel + ", subscribed=" + isSubscribed() + ", closed=" + isClosed() + "}";
    }

    private void handle(String message) {
        if (message == null) {
            ignore("an entry without the field e");
            return;
        }
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
}
