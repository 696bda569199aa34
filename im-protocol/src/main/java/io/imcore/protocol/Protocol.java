package io.imcore.protocol;

/**
 * Constants of the wire protocol (PROTOCOL.md) that do not belong to a single type.
 */
public final class Protocol {
    /** The protocol version carried as {@code "v"} by every envelope and every frame a node sends. */
    public static final int VERSION = 1;

    /** Default key prefix written in front of every Redis key. */
    public static final String DEFAULT_KEY_PREFIX = "im:";

    /** Longest client id or channel name, in UTF-16 code units. */
    public static final int MAX_NAME_LENGTH = 128;

    /** Largest metadata string, in UTF-8 bytes. */
    public static final int MAX_METADATA_BYTES = 4096;

    /** Default time to live of a connect token, in seconds. */
    public static final int DEFAULT_TOKEN_TTL_SECONDS = 30;

    private Protocol() {}
}
