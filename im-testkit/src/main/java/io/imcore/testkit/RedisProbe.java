package io.imcore.testkit;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/** Asks a Redis server whether it answers, and which process it is. */
final class RedisProbe {

    private static final long POLL_MILLIS = 25;
    private static final JedisClientConfig CONFIG = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(250)
            .socketTimeoutMillis(1000)
            .autoNegotiateProtocol(false)
            .build();

    private RedisProbe() {}

    /**
     * The {@code process_id} reported by {@code INFO server}, or empty if nothing answers at
     * {@code host:port} (refused, timed out, still loading).
     */
    static OptionalLong processId(String host, int port) {
        try (Jedis jedis = new Jedis(host, port, CONFIG)) {
            return jedis.info("server")
                    .lines()
                    .filter(line -> line.startsWith("process_id:"))
                    .mapToLong(line -> Long.parseLong(
                            line.substring("process_id:".length()).trim()))
                    .findFirst();
        } catch (JedisException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Polls until a Redis whose process id passes {@code expectedPid} answers at {@code host:port}.
     *
     * @return true once it answers; false if {@code alive} turns false or the timeout passes
     */
    static boolean await(String host, int port, Duration timeout, BooleanSupplier alive, LongPredicate expectedPid) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive.getAsBoolean()) {
            OptionalLong pid = processId(host, port);
            if (pid.isPresent() && expectedPid.test(pid.getAsLong())) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
