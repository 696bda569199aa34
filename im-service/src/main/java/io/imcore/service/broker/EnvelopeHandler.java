package io.imcore.service.broker;

/** Receives every entry read from the node's streams, raw. */
@FunctionalInterface
public interface EnvelopeHandler {
    /** Handles {@code payload} (the entry's {@code e} field, null when it has none) from {@code stream}; must not
     * throw for bad input. */
    void handle(String stream, String payload);
}
