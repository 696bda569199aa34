package io.imcore.service.hub;

import java.time.Duration;

/**
 * Bounds of the client sessions (PROTOCOL.md section 3.1).
 *
 * @param window    how long a session outlives its client's last connection
 * @param maxFrames most unacked frames kept per client
 * @param maxBytes  most UTF-8 bytes of unacked frames kept per client
 */
public record SessionLimits(Duration window, int maxFrames, long maxBytes) {
}
