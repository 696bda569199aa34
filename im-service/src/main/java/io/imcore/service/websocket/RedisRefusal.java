package io.imcore.service.websocket;

import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * The 503 of an upgrade whose Redis command failed, naming the real cause: the pool had no connection free within
 * {@code redis.poolWait} (the node is overloaded, Redis is fine), or Redis could not be reached or did not answer.
 *
 * @param poolWait {@code redis.poolWait}, named in the overload's reason
 */
record RedisRefusal(Duration poolWait) {
    /** The reason of an upgrade refused because Redis could not be reached or did not answer in time. */
    static final String UNREACHABLE = "node cannot reach Redis";

    /** Why Redis failed an upgrade; {@link #metric()} is the tail of its counter {@code im.upgrades.refused.*}. */
    enum Cause {
        UNREACHABLE("redis-unreachable"),
        POOL_EXHAUSTED("redis-pool-exhausted");

        private final String metric;

        Cause(String metric) {
            this.metric = metric;
        }

        String metric() {
            return metric;
        }
    }

    /**
     * {@link Cause#POOL_EXHAUSTED} when {@code failure} is the pool's timeout: Jedis wraps the pool's
     * {@link NoSuchElementException} of its own ("Timeout waiting for idle object", no cause) in a
     * {@code JedisException} "Could not get a resource from the pool". Anything else (a refused or broken
     * connection, a command that timed out, a connection the pool could not make) is {@link Cause#UNREACHABLE}.
     */
    static Cause causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchElementException && t.getCause() == null) {
                return Cause.POOL_EXHAUSTED;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Cause.UNREACHABLE;
    }

    /** The refusal's plain-text reason for {@code cause}. */
    String reason(Cause cause) {
        return cause == Cause.POOL_EXHAUSTED
                ? "node is overloaded: no Redis connection free within " + shortly(poolWait)
                : UNREACHABLE;
    }

    /** {@code 5 s}, {@code 1500 ms}. */
    static String shortly(Duration duration) {
        long millis = duration.toMillis();
        return millis >= 1000 && millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
