package io.imcore.redis;

import io.imcore.protocol.Keys;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every Lua script of the contract. Each names every key it touches in {@code KEYS[]}, built by {@link Keys}
 * (never inside Lua), as Redis Cluster requires; each touches one key. Channel memberships are written without
 * Lua, in single-key steps ({@link Memberships}).
 */
public final class Scripts {
    /** KEYS: a sweep claim. ARGV: its expected holder. */
    private static final String RELEASE_CLAIM = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private Scripts() {
    }

    /** Deletes the claim to sweep {@code entry} when {@code holder} still holds it. */
    public static void releaseSweepClaim(UnifiedJedis redis, Keys keys, String entry, String holder) {
        redis.eval(RELEASE_CLAIM, List.of(keys.sweep(entry)), List.of(holder));
    }
}
