package io.imcore.service.broker;

/** Where the subscriber thread is. */
public enum SubscriberState {
    /** Not started yet. */
    STARTING,
    /** Subscribed to every channel it needs. */
    SUBSCRIBED,
    /** Lost its connection; retrying with backoff. */
    RECONNECTING,
    /** Stopped. */
    STOPPED
}
