package io.imcore.service.presence;

/**
 * The offline state of a client whose last connection closed while Redis could not be written: its online
 * hash field, its memberships and maybe its {@code offline} event are still to be written.
 *
 * @param metadata metadata of the last connection
 * @param reason   the offline reason
 * @param publish  whether an {@code offline} event is owed (its {@code online} was published)
 */
record PendingOffline(String metadata, String reason, boolean publish) {}
