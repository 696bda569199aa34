package io.imcore.redis;

import io.imcore.protocol.Keys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every Lua script of the contract. Each names every key it touches in {@code KEYS[]}, built by {@link Keys}
 * (never inside Lua), as Redis Cluster requires.
 */
public final class Scripts {
    /**
     * KEYS: the client's chans set, the chans set, then one chan hash per channel. ARGV: clientId, a pub/sub
     * channel and a message to publish there ("" for none), then the channel names in the order of KEYS[3..].
     */
    private static final String LEAVE = """
            for i = 4, #ARGV do
              local chan = KEYS[i - 1]
              redis.call('HDEL', chan, ARGV[1])
              if redis.call('EXISTS', chan) == 0 then redis.call('SREM', KEYS[2], ARGV[i]) end
              redis.call('SREM', KEYS[1], ARGV[i])
            end
            if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
            return #ARGV - 3
            """;

    /** KEYS: a sweep claim. ARGV: its expected holder. */
    private static final String RELEASE_CLAIM = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private Scripts() {
    }

    /**
     * Removes {@code clientId} from {@code chans} atomically: {@code HDEL <P>chan:<chan>}, {@code SREM <P>chans}
     * when the channel has no member left, {@code SREM <P>client:<clientId>:chans}; then, when
     * {@code publishChannel} is not empty, {@code PUBLISH publishChannel message}.
     */
    public static void leaveChannels(UnifiedJedis redis, Keys keys, String clientId, Collection<String> chans,
                                     String publishChannel, String message) {
        List<String> keyNames = new ArrayList<>(chans.size() + 2);
        keyNames.add(keys.clientChans(clientId));
        keyNames.add(keys.chans());
        List<String> args = new ArrayList<>(chans.size() + 3);
        args.add(clientId);
        args.add(publishChannel);
        args.add(message);
        for (String chan : chans) {
            keyNames.add(keys.chan(chan));
            args.add(chan);
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
            leaveChannels(redis, keys, clientId, chans, "", "");
        }
    }

    /** Deletes the claim to sweep {@code entry} when {@code holder} still holds it. */
    public static void releaseSweepClaim(UnifiedJedis redis, Keys keys, String entry, String holder) {
        redis.eval(RELEASE_CLAIM, List.of(keys.sweep(entry)), List.of(holder));
    }
}
