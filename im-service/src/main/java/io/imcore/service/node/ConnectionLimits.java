package io.imcore.service.node;

/**
 * How many connections the node accepts.
 *
 * @param perNode   WebSocket connections on this node
 * @param perClient connections of one client id on this node
 */
public record ConnectionLimits(int perNode, int perClient) {}
