package io.imcore.service.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.imcore.redis.SubscriptionLoop;
import io.imcore.redis.SubscriptionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * Subscribes to this node's channels on a thread of its own ({@code im-subscriber}) and hands every message to
 * the handler; after a lost subscription it subscribes again with bounded backoff ({@link SubscriptionLoop}),
 * counts it in {@code im.redis.subscriber.reconnects} and has the node re-assert its state.
 */
public final class RedisSubscriber implements Managed {
    private static final SubscriptionLoop.Timing TIMING =
            new SubscriptionLoop.Timing(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final SubscriptionLoop loop;

    /**
     * @param connections    opens the subscriber's connection, once per attempt
     * @param onResubscribed run on the subscriber thread after every subscription but the first, so the
     *                       node can re-assert its state after a Redis outage
     */
    public RedisSubscriber(Supplier<Jedis> connections, List<String> channels, EnvelopeHandler handler,
                           MetricRegistry metrics, Runnable onResubscribed) {
        Counter reconnects = metrics.counter("im.redis.subscriber.reconnects");
        this.loop = new SubscriptionLoop("im-subscriber", channels, connections, new SubscriptionLoop.Handler() {
            @Override
            public void onMessage(String channel, String message) {
                handler.handle(channel, message);
            }

            @Override
            public void onSubscribed(boolean again) {
                if (again) {
                    onResubscribed.run();
                }
            }

            @Override
            public void onRetry() {
                reconnects.inc();
            }
        }, TIMING);
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.close();
    }

    /** The channels it subscribes to. */
    public List<String> channels() {
        return loop.channels();
    }

    public SubscriptionState state() {
        return loop.state();
    }

    public Instant since() {
        return loop.since();
    }

    public String lastError() {
        return loop.lastError();
    }

    /** Waits until the subscriber is subscribed, for callers that need it (tests, start-up). */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return loop.awaitSubscribed(timeout);
    }
}
