package io.imcore.service.presence;

/**
 * One entry of a node inbox as the dead-node sweep reads it.
 *
 * @param id       its stream id
 * @param envelope its {@code e} field, null when it has none
 */
public record InboxEntry(String id, String envelope) {}
