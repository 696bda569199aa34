package io.imcore.service.hub;

/**
 * A client's session on this node (PROTOCOL.md section 3.1): its sequence counter, whether it is in acks mode,
 * and the frames no connection acknowledged yet. It outlives the client's connections by the resume window.
 * Every field is guarded by this object's monitor, taken inside the client's lock or alone, never the other way
 * round. Few fields on purpose: a node holds one per client; the frames exist only while some are unacked.
 */
final class ClientSession {
    final String clientId;
    final long number;
    long lastSeq;
    boolean acks;
    boolean ended;
    /**
     * The highest {@code hello} number of a connection that joined while older frames were kept for another one:
     * a resume acks only the kept frames after it (that connection was never sent those before).
     */
    long sharedUpTo;
    /** Unacked frames, null when there are none. */
    KeptFrames kept;
    /** Cancels the end of the window, non-null while the client has no connection. */
    Runnable expiry;

    ClientSession(String clientId, long number) {
        this.clientId = clientId;
        this.number = number;
    }

    long keptBytes() {
        KeptFrames frames = kept;
        return frames == null ? 0 : frames.bytes();
    }
}
