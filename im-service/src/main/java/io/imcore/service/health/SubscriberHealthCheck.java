package io.imcore.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.imcore.service.broker.RedisSubscriber;
import io.imcore.service.broker.SubscriberState;

/** {@code redis-subscriber}: healthy only while the subscriber thread is subscribed to every channel. */
public final class SubscriberHealthCheck extends HealthCheck {
    private final RedisSubscriber subscriber;

    public SubscriberHealthCheck(RedisSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    protected Result check() {
        SubscriberState state = subscriber.state();
        if (state == SubscriberState.SUBSCRIBED) {
            return Result.healthy("subscribed since %s", subscriber.since());
        }
        return Result.unhealthy("%s since %s; last error: %s", state, subscriber.since(), subscriber.lastError());
    }
}
