package io.imcore.service.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * Subscribes to this node's channels on a thread of its own and hands every message to the handler.
 * Jedis does not resubscribe after Redis restarts, so this loop does, with bounded backoff.
 */
public final class RedisSubscriber implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final UnifiedJedis redis;
    private final List<String> channels;
    private final EnvelopeHandler handler;
    private final Counter reconnects;
    private final Runnable onResubscribed;
    private volatile boolean running;
    private volatile Listener listener;
    private volatile SubscriberState state = SubscriberState.STARTING;
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";
    private Thread thread;

    /**
     * @param onResubscribed run on the subscriber thread after every subscription but the first, so the
     *                       node can re-assert its state after a Redis outage
     */
    public RedisSubscriber(UnifiedJedis redis, List<String> channels, EnvelopeHandler handler,
                           MetricRegistry metrics, Runnable onResubscribed) {
        this.redis = redis;
        this.channels = List.copyOf(channels);
        this.handler = handler;
        this.onResubscribed = onResubscribed;
        this.reconnects = metrics.counter("im.redis.subscriber.reconnects");
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "im-subscriber");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        Listener current = listener;
        if (current != null && current.isSubscribed()) {
            try {
                current.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debug("unsubscribe failed", e);
            }
        }
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        setState(SubscriberState.STOPPED);
    }

    /** The channels it subscribes to. */
    public List<String> channels() {
        return channels;
    }

    public SubscriberState state() {
        return state;
    }

    public Instant since() {
        return since;
    }

    public String lastError() {
        return lastError;
    }

    /** Waits until the subscriber is subscribed, for callers that need it (tests, start-up). */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state != SubscriberState.SUBSCRIBED && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return state == SubscriberState.SUBSCRIBED;
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        boolean first = true;
        while (running) {
            Listener current = new Listener(first);
            listener = current;
            try {
                redis.subscribe(current, channels.toArray(String[]::new));
            } catch (RuntimeException e) {
                lastError = e.toString();
                LOG.warn("subscriber lost Redis: {}", e.toString());
            }
            if (current.subscribedOnce) {
                first = false;
                backoff = MIN_BACKOFF;
            }
            if (!running) {
                break;
            }
            setState(SubscriberState.RECONNECTING);
            reconnects.inc();
            try {
                TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void setState(SubscriberState next) {
        if (state != next) {
            state = next;
            since = Instant.now();
        }
    }

    private final class Listener extends JedisPubSub {
        private final boolean first;
        private volatile boolean subscribedOnce;

        Listener(boolean first) {
            this.first = first;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (subscribedChannels == channels.size()) {
                subscribedOnce = true;
                setState(SubscriberState.SUBSCRIBED);
                LOG.info("subscribed to {}", channels);
                if (!first) {
                    try {
                        onResubscribed.run();
                    } catch (RuntimeException e) {
                        LOG.warn("re-asserting state after resubscribe failed: {}", e.toString());
                    }
                }
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            try {
                handler.handle(channel, message);
            } catch (RuntimeException | StackOverflowError e) {
                // one bad message must not end the subscription: the thread would be gone for good
                LOG.error("handler failed on a message from {}", channel, e);
            }
        }
    }
}
