package io.imcore.service.health;

import com.codahale.metrics.health.HealthCheck;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/** {@code redis}: one PING round trip, with its latency (and on Sentinel, the master it went to). */
public final class RedisHealthCheck extends HealthCheck {
    private final UnifiedJedis redis;

    public RedisHealthCheck(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    protected Result check() {
        long start = System.nanoTime();
        try {
            String answer = redis.ping();
            double millis = (System.nanoTime() - start) / 1e6;
            if ("PONG".equals(answer) && redis instanceof RedisSentinelClient sentinel) {
                return Result.healthy("PING %.2f ms, master %s", millis, sentinel.getCurrentMaster());
            }
            return "PONG".equals(answer)
                    ? Result.healthy("PING %.2f ms", millis)
                    : Result.unhealthy("PING answered %s", answer);
        } catch (RuntimeException e) {
            return Result.unhealthy("Redis unreachable: %s", e.getMessage());
        }
    }
}
