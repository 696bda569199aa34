package io.imcore.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/** What the cluster and sentinel extensions share: short-lived probe connections and polling with a bound. */
final class RedisTopology {

    private static final long POLL_MILLIS = 50;
    private static final JedisClientConfig PROBE = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(500)
            .socketTimeoutMillis(2000)
            .autoNegotiateProtocol(false)
            .build();

    private RedisTopology() {}

    /** A new probe connection to {@code address}, which the caller closes. */
    static Jedis probe(HostAndPort address) {
        return new Jedis(address, PROBE);
    }

    /**
     * Polls {@code condition} (a Redis failure counts as false) until it holds.
     *
     * @throws IllegalStateException saying {@code what} and the last state, when {@code timeout} passes
     */
    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (JedisException | IllegalStateException e) {
                // not yet: a node starting, a failover under way, a slot without a master for now
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last state: " + safely(state));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    private static String safely(Supplier<String> state) {
        try {
            return state.get();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
