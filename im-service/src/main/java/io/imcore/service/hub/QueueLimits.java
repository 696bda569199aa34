package io.imcore.service.hub;

/**
 * Bounds of one connection's outbound queue.
 *
 * @param maxFrames frames not yet written
 * @param maxBytes  characters of frames not yet written (a UTF-16 count, close to bytes for JSON)
 */
public record QueueLimits(int maxFrames, long maxBytes) {
}
