package io.imcore.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;

/**
 * The home node of a client (PROTOCOL.md section 1): rendezvous, or highest-random-weight, hashing over the live
 * members. Each member gets the weight {@code weight(entry, clientId)} = the first 8 bytes, big-endian unsigned,
 * of {@code SHA-256(utf8(entry) || 0x0A || utf8(clientId))}; the home is the member with the highest weight, a
 * tie (never seen in practice) going to the smallest entry by unsigned byte order of its UTF-8. A member that
 * joins or leaves moves only the clients whose home it becomes or was.
 *
 * <pre>{@code
 * String home = Rendezvous.home("42", List.of("10.0.0.1:6001", "10.0.0.2:6001", "10.0.0.3:6001"));
 * // "10.0.0.3:6001": its weight f53d79d9fe2683b3 is the highest of the three
 * }</pre>
 */
public final class Rendezvous {
    /** The name of this routing rule, as written in every node's lease ({@code "routing"}). */
    public static final String NAME = "hrw-sha256/1";

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Rendezvous::newDigest);

    private Rendezvous() {}

    /** The weight of {@code entry} for {@code clientId}, an unsigned 64-bit value held in a {@code long}. */
    public static long weight(String entry, String clientId) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        digest.update(entry.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0x0A);
        byte[] hash = digest.digest(clientId.getBytes(StandardCharsets.UTF_8));
        long weight = 0;
        for (int i = 0; i < 8; i++) {
            weight = (weight << 8) | (hash[i] & 0xFF);
        }
        return weight;
    }

    /**
     * The member of {@code members} that is home to {@code clientId}.
     *
     * @throws IllegalArgumentException when {@code members} is empty
     */
    public static String home(String clientId, Collection<String> members) {
        String best = null;
        long bestWeight = 0;
        for (String entry : members) {
            long weight = weight(entry, clientId);
            if (best == null
                    || Long.compareUnsigned(weight, bestWeight) > 0
                    || weight == bestWeight && compareBytes(entry, best) < 0) {
                best = entry;
                bestWeight = weight;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no member to be home of client " + clientId);
        }
        return best;
    }

    /** Unsigned byte order of the UTF-8 encodings: the tie-break of {@link #home}. */
    static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
