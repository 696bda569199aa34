package io.imcore.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.imcore.redis.SubscriptionState;
import io.imcore.service.broker.RedisSubscriber;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code redis-subscriber}: healthy only while the subscriber thread is subscribed to every channel it needs
 * (this node's inbox and {@code broadcast}), as its own loop saw it, never from Jedis' {@code isSubscribed()},
 * which stays true after a Redis restart. Says since when it is in which state.
 */
public final class SubscriberHealthCheck extends HealthCheck {
    private final RedisSubscriber subscriber;

    public SubscriberHealthCheck(RedisSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    protected Result check() {
        SubscriptionState state = subscriber.state();
        Instant since = subscriber.since();
        long seconds = Duration.between(since, Instant.now()).toSeconds();
        if (state == SubscriptionState.SUBSCRIBED) {
            return Result.healthy("%s to %s since %s (%d s)", state, subscriber.channels(), since, seconds);
        }
        return Result.unhealthy("%s since %s (%d s), not subscribed to %s; last error: %s", state, since, seconds,
                subscriber.channels(), subscriber.lastError());
    }
}
