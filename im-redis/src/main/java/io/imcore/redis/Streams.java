package io.imcore.redis;

import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XTrimParams;

/**
 * The stream side of the transport (PROTOCOL.md section 5): an entry's one field, the {@code XADD} every
 * publisher uses and the exact {@code XTRIM MINID} a reader uses to remove what it processed.
 */
public final class Streams {
    /** The one field of every entry: its value is the envelope JSON. */
    public static final String FIELD = "e";
    /** The id before every id a stream can hold. */
    public static final StreamEntryID START = new StreamEntryID(0, 0);

    private Streams() {}

    /** {@code XADD <key> MAXLEN ~ <maxLen> * e <json>} as Jedis parameters. */
    public static XAddParams addParams(long maxLen) {
        return XAddParams.xAddParams().maxLen(maxLen).approximateTrimming();
    }

    /** The entry fields of {@code json}. */
    public static Map<String, String> entry(String json) {
        return Map.of(FIELD, json);
    }

    /** {@code XTRIM <key> MINID <id + 1>} (exact): removes every entry up to {@code id}, included. */
    public static XTrimParams trimThrough(StreamEntryID id) {
        return XTrimParams.xTrimParams().minId(next(id).toString()).exactTrimming();
    }

    /** The smallest id after {@code id}. */
    public static StreamEntryID next(StreamEntryID id) {
        if (id.getSequence() == Long.MAX_VALUE) {
            return new StreamEntryID(id.getTime() + 1, 0);
        }
        return new StreamEntryID(id.getTime(), id.getSequence() + 1);
    }
}
