package io.imcore.protocol;

import java.util.Objects;

/**
 * Every Redis key (streams included) of PROTOCOL.md sections 4 and 5, built from the key prefix.
 *
 * <pre>{@code
 * Keys keys = new Keys("im:");
 * keys.inbox("127.0.0.1:6001");   // "im:node:127.0.0.1:6001"
 * }</pre>
 */
public final class Keys {
    private final String prefix;
    private final String nodes;
    private final String chans;
    private final String broadcast;
    private final String events;
    private final String members;

    /** Keys under {@code prefix}, which may be empty but not null. */
    public Keys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.nodes = prefix + "nodes";
        this.chans = prefix + "chans";
        this.broadcast = prefix + "broadcast";
        this.events = prefix + "events";
        this.members = prefix + "members";
    }

    /** Keys under {@link Protocol#DEFAULT_KEY_PREFIX}. */
    public static Keys withDefaultPrefix() {
        return new Keys(Protocol.DEFAULT_KEY_PREFIX);
    }

    /** The key prefix. */
    public String prefix() {
        return prefix;
    }

    /** STRING {@code <P>token:<token>}: a connect token's JSON, with a TTL. */
    public String token(String token) {
        return prefix + "token:" + token;
    }

    /** HASH {@code <P>node:<entry>:online}: clientId → live connection count on that node. */
    public String nodeOnline(String entry) {
        return prefix + "node:" + entry + ":online";
    }

    /** HASH {@code <P>nodes}: entry → node lease JSON. */
    public String nodes() {
        return nodes;
    }

    /** STRING {@code <P>sweep:<entry>}: who claimed the sweep of a dead node. */
    public String sweep(String entry) {
        return prefix + "sweep:" + entry;
    }

    /** HASH {@code <P>chan:<name>}: clientId → joinedAt ms. */
    public String chan(String name) {
        return prefix + "chan:" + name;
    }

    /** SET {@code <P>client:<clientId>:chans}: the client's channel names. */
    public String clientChans(String clientId) {
        return prefix + "client:" + clientId + ":chans";
    }

    /** SET {@code <P>chans}: channel names with at least one member. */
    public String chans() {
        return chans;
    }

    /** STREAM {@code <P>node:<entry>}: the inbox of one node, read and trimmed by that node only. */
    public String inbox(String entry) {
        return prefix + "node:" + entry;
    }

    /** STREAM {@code <P>broadcast}: to every node. */
    public String broadcast() {
        return broadcast;
    }

    /** STREAM {@code <P>events}: online and offline events. */
    public String events() {
        return events;
    }

    /** STREAM {@code <P>members}: the feed of membership changes, {@code join} and {@code leave} of nodes. */
    public String members() {
        return members;
    }
}
