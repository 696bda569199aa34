package io.imcore.service.broker;

/** Node-level pub/sub (PROTOCOL.md section 5). Incoming messages go to an {@link EnvelopeHandler}. */
public interface Broker {
    /** Publishes {@code payload} on {@code channel} now, on the calling thread. */
    void publish(String channel, String payload);

    /** Publishes later on the broker's own thread; for callers that must not block (write callbacks). */
    void publishAsync(String channel, String payload);
}
