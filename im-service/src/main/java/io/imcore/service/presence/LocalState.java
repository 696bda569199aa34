package io.imcore.service.presence;

/**
 * The node's in-memory record of its clients: what the lease keeper asks to write to Redis again after an
 * outage (PROTOCOL.md section 4 state is re-asserted from memory, never rebuilt from terminals reconnecting).
 */
public interface LocalState {
    /** True when a presence write failed (Redis down or slow) and has not been repaired yet. */
    boolean needsReassert();

    /**
     * Writes this node's clients to Redis again: the online hash, channel memberships and any online or
     * offline event that could not be published.
     *
     * @param restoreMemberships Redis may have lost data (restarted empty, or this node was swept): write
     *                           the memberships this node knows back; otherwise Redis is the truth and the
     *                           node's channel index is reloaded from it
     * @param reannounce         this node was swept as dead while it ran: publish {@code online} again for
     *                           every client it holds
     */
    void reassert(boolean restoreMemberships, boolean reannounce);

    /**
     * After a shutdown: true when every client was written offline, so the node's keys may go; false when
     * the grace period ran out first, so the keys stay for another node's dead-node sweep.
     */
    boolean stoppedCleanly();
}
