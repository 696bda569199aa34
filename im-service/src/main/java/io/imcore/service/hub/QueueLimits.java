package io.imcore.service.hub;

/**
 * Bounds of one connection's outbound queue.
 *
 * @param maxFrames frames not yet written
 * @param maxBytes  UTF-8 bytes of frames not yet written
 */
public record QueueLimits(int maxFrames, long maxBytes) {}
