package io.imcore.protocol;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The partition of a client id (PROTOCOL.md section 1), tried in this order:
 * <ol>
 *   <li>a canonical UUID (any case): the value of its last 4 hex digits, as in the original ImCore;</li>
 *   <li>decimal digits with an optional leading {@code -} that fit in a {@code long}: that value;</li>
 *   <li>anything else: the CRC32 of its UTF-8 bytes, unsigned.</li>
 * </ol>
 * The node index is {@code floorMod(partition, servers)}.
 *
 * @deprecated the modulo partition of protocol version 1 before live membership: a node that came or went moved
 *     almost every client. Routing is now {@link Rendezvous} over the live members ({@link Servers#entryFor} uses
 *     it); this class stays for programs that compute the old partition and will be removed in a later major
 *     version.
 */
@Deprecated
public final class Partitioner {
    private static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern DIGITS = Pattern.compile("^-?[0-9]+$");

    private Partitioner() {}

    /** The partition value of {@code clientId}. */
    public static long partition(String clientId) {
        if (clientId.length() == 36 && UUID.matcher(clientId).matches()) {
            return Integer.parseInt(clientId.substring(32), 16);
        }
        if (DIGITS.matcher(clientId).matches()) {
            try {
                return Long.parseLong(clientId);
            } catch (NumberFormatException tooLarge) {
                // falls through to CRC32, as the protocol says
            }
        }
        CRC32 crc = new CRC32();
        crc.update(clientId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** The index in a list of {@code servers} entries of the node that owns {@code clientId}. */
    public static int index(String clientId, int servers) {
        if (servers <= 0) {
            throw new IllegalArgumentException("servers must be positive, was " + servers);
        }
        return (int) Math.floorMod(partition(clientId), (long) servers);
    }
}
