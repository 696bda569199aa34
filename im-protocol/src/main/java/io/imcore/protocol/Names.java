package io.imcore.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Validation of client ids, channel names and metadata (PROTOCOL.md section 1).
 *
 * <p>Each {@code require*} method returns its argument when it is valid and throws
 * {@link IllegalArgumentException} with a message that names the rule otherwise:
 * <pre>{@code
 * String id = Names.requireClientId(request.userId());
 * }</pre>
 */
public final class Names {
    private Names() {}

    /** Returns {@code clientId} if it is a valid client id, else throws {@link IllegalArgumentException}. */
    public static String requireClientId(String clientId) {
        return requireName("clientId", clientId);
    }

    /** Returns {@code channel} if it is a valid channel name, else throws {@link IllegalArgumentException}. */
    public static String requireChannel(String channel) {
        return requireName("channel name", channel);
    }

    /** Validates every element of {@code clientIds}; an empty collection is valid. */
    public static void requireClientIds(Collection<String> clientIds) {
        if (clientIds == null) {
            throw new IllegalArgumentException("clientIds must not be null");
        }
        clientIds.forEach(Names::requireClientId);
    }

    /** Returns {@code metadata} if it is at most 4096 UTF-8 bytes; {@code null} is rejected, use "" for none. */
    public static String requireMetadata(String metadata) {
        if (metadata == null) {
            throw new IllegalArgumentException("metadata must not be null (use \"\" for none)");
        }
        if (utf8Length(metadata) > Protocol.MAX_METADATA_BYTES) {
            throw new IllegalArgumentException(
                    "metadata is longer than " + Protocol.MAX_METADATA_BYTES + " UTF-8 bytes");
        }
        return metadata;
    }

    /** True when {@code clientId} passes {@link #requireClientId}. */
    public static boolean isValidClientId(String clientId) {
        return problemWith(clientId) == null;
    }

    /** True when {@code channel} passes {@link #requireChannel}. */
    public static boolean isValidChannel(String channel) {
        return problemWith(channel) == null;
    }

    private static String requireName(String what, String value) {
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + problem);
        }
        return value;
    }

    private static String problemWith(String value) {
        if (value == null) {
            return "must not be null";
        }
        if (value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > Protocol.MAX_NAME_LENGTH) {
            return "must be at most " + Protocol.MAX_NAME_LENGTH + " characters, was " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "must not contain control characters (found U+" + String.format("%04X", (int) c) + " at index "
                        + i + ")";
            }
        }
        return null;
    }

    private static int utf8Length(String s) {
        if (s.length() * 3 <= Protocol.MAX_METADATA_BYTES) {
            return s.length();
        }
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
