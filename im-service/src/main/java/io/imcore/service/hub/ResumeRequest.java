package io.imcore.service.hub;

/**
 * What a terminal asked for on its connect URL (PROTOCOL.md section 3.1).
 *
 * @param acks    {@code acks=1}: the client's receipts wait for its acks, and its unacked frames are kept
 * @param session the session to resume, or null for none
 * @param seq     the last sequence number the terminal holds (with {@code session})
 */
public record ResumeRequest(boolean acks, String session, long seq) {
    /** A plain connect: no acks, no resume. */
    public static final ResumeRequest NONE = new ResumeRequest(false, null, 0);

    public boolean resumes() {
        return session != null;
    }
}
