package io.imcore.service.broker;

/** Receives every message that arrives on a subscribed pub/sub channel, raw. */
@FunctionalInterface
public interface EnvelopeHandler {
    /** Handles {@code payload} from {@code channel}; must not throw for bad input. */
    void handle(String channel, String payload);
}
