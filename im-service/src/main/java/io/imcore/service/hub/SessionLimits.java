package io.imcore.service.hub;

import java.time.Duration;

/**
 * Bounds of the client sessions (PROTOCOL.md section 3.1).
 *
 * @param window    how long a session outlives its client's last connection
 * @param maxFrames most unacked frames kept per client
 * @param maxBytes  most UTF-8 bytes of unacked frames kept per client
 * @param offlineDelay how long after its last connection closed a client in its window still counts as online
 *                  (no {@code offline} event yet); capped by {@code window}
 */
public record SessionLimits(Duration window, int maxFrames, long maxBytes, Duration offlineDelay) {
    /** Limits whose clients go offline at their last close, as before sessions had a grace. */
    public SessionLimits(Duration window, int maxFrames, long maxBytes) {
        this(window, maxFrames, maxBytes, Duration.ZERO);
    }

    /** The grace before {@code offline}: {@code offlineDelay}, at most {@code window}. */
    public Duration offlineGrace() {
        return offlineDelay.compareTo(window) < 0 ? offlineDelay : window;
    }
}
