package io.imcore.redis;

/** Where a {@link SubscriptionLoop} is, as its own thread saw it (never from Jedis's {@code isSubscribed()}). */
public enum SubscriptionState {
    /** Not subscribed yet. */
    STARTING,
    /** Subscribed to every channel it needs. */
    SUBSCRIBED,
    /** Lost its connection or could not subscribe; retrying with backoff. */
    RECONNECTING,
    /** Stopped. */
    STOPPED
}
