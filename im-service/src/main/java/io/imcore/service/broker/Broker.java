package io.imcore.service.broker;

/**
 * Node-level publishing (PROTOCOL.md section 5): each publish appends one entry to a stream. Incoming entries go
 * to an {@link EnvelopeHandler}.
 */
public interface Broker {
    /** Appends {@code envelope} to {@code stream} now, on the calling thread. */
    void publish(String stream, String envelope);

    /** Appends later on the broker's own thread; for callers that must not block (write callbacks). */
    void publishAsync(String stream, String envelope);
}
