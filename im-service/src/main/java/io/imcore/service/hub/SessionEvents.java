package io.imcore.service.hub;

/** What the client sessions report, for metrics. */
public interface SessionEvents {
    /** Reports nothing. */
    SessionEvents NONE = new SessionEvents() {};

    /** A connection resumed its session and got {@code replayed} frames again. */
    default void resumed(int replayed) {}

    /** A resume failed; {@code reason} is {@code unknown}, {@code buffer} or {@code ahead}. */
    default void resumeFailed(String reason) {}

    /** An ack was accepted. */
    default void acked() {}
}
