package io.imcore.redis;

import io.imcore.protocol.Keys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every Lua script of the contract. Each names every key it touches in {@code KEYS[]}, built by {@link Keys}
 * (never inside Lua), as Redis Cluster requires. The {@code LEAVE} script touches keys of several hash slots: it
 * serves one Redis and Sentinel only; on a Redis Cluster {@link Memberships} writes single-key steps instead.
 */
public final class Scripts {
    /**
     * KEYS: the client's chans set, the chans set, one chan hash per channel, then the stream to add an entry
     * to when ARGV[2] is not "". ARGV: clientId, the stream's MAXLEN ("" for no entry), the entry's envelope,
     * then the channel names in the order of KEYS[3..].
     */
    private static final String LEAVE = """
            local n = #ARGV - 3
            for i = 1, n do
              local chan = KEYS[i + 2]
              redis.call('HDEL', chan, ARGV[1])
              if redis.call('EXISTS', chan) == 0 then redis.call('SREM', KEYS[2], ARGV[i + 3]) end
              redis.call('SREM', KEYS[1], ARGV[i + 3])
            end
            if ARGV[2] ~= '' then redis.call('XADD', KEYS[n + 3], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[3]) end
            return n
            """;

    /** KEYS: a sweep claim. ARGV: its expected holder. */
    private static final String RELEASE_CLAIM = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private Scripts() {}

    /**
     * Removes {@code clientId} from {@code chans} atomically: {@code HDEL <P>chan:<chan>}, {@code SREM <P>chans}
     * when the channel has no member left, {@code SREM <P>client:<clientId>:chans}; then, when {@code stream} is
     * not null, {@code XADD stream MAXLEN ~ maxLen * e envelope}.
     */
    public static void leaveChannels(
            UnifiedJedis redis,
            Keys keys,
            String clientId,
            Collection<String> chans,
            String stream,
            long maxLen,
            String envelope) {
        List<String> keyNames = new ArrayList<>(chans.size() + 3);
        keyNames.add(keys.clientChans(clientId));
        keyNames.add(keys.chans());
        List<String> args = new ArrayList<>(chans.size() + 3);
        args.add(clientId);
        args.add(stream == null ? "" : Long.toString(maxLen));
        args.add(stream == null ? "" : envelope);
        for (String chan : chans) {
            keyNames.add(keys.chan(chan));
            args.add(chan);
        }
        if (stream != null) {
            keyNames.add(stream);
        }
        redis.eval(LEAVE, keyNames, args);
    }

    /**
     * Removes {@code clientId} from every channel it is a member of: reads its chans set, then leaves those
     * channels in one script. A channel joined between the two is kept, as if joined after.
     */
    public static void leaveAllChannels(UnifiedJedis redis, Keys keys, String clientId) {
        Collection<String> chans = redis.smembers(keys.clientChans(clientId));
        if (!chans.isEmpty()) {
            leaveChannels(redis, keys, clientId, chans, null, 0, "");
        }
    }

    /** Deletes the claim to sweep {@code entry} when {@code holder} still holds it. */
    public static void releaseSweepClaim(UnifiedJedis redis, Keys keys, String entry, String holder) {
        redis.eval(RELEASE_CLAIM, List.of(keys.sweep(entry)), List.of(holder));
    }
}
