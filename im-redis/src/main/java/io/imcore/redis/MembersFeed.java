package io.imcore.redis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code <P>members} stream (PROTOCOL.md section 4): one entry per membership change,
 * {@code {"v":1,"type":"join"|"leave","node":"<entry>","reason":"…","ts":…}} in the field {@code e}, trimmed to
 * about {@link #MAX_LEN} entries. Readers learn the members from {@code <P>nodes}; the feed tells when and why
 * they changed (admin task {@code membership}, operators).
 */
public final class MembersFeed {
    /** Retention of the feed, in entries (approximate). */
    public static final long MAX_LEN = 1000;
    /** A node joined. */
    public static final String JOIN = "join";
    /** A node left or was swept. */
    public static final String LEAVE = "leave";

    private MembersFeed() {}

    /** The entry JSON of a change. */
    public static String entry(String type, String node, String reason, long ts) {
        ObjectNode json = Codec.mapper().createObjectNode();
        json.put("v", Protocol.VERSION);
        json.put("type", type);
        json.put("node", node);
        json.put("reason", reason);
        json.put("ts", ts);
        return json.toString();
    }

    /** {@code XADD <P>members MAXLEN ~ 1000 * e <entry>}. */
    public static void append(UnifiedJedis redis, Keys keys, String type, String node, String reason, long ts) {
        redis.xadd(keys.members(), Streams.addParams(MAX_LEN), Streams.entry(entry(type, node, reason, ts)));
    }
}
