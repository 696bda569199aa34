package io.imcore.testkit;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import redis.clients.jedis.RedisClient;

/**
 * A JUnit 5 extension that gives the tests of a class a real Redis server of their own, started
 * before all tests and stopped after them; it never uses a Redis that already runs.
 *
 * <p>It runs a local {@code redis-server} binary (named by the system property or environment
 * variable {@code IMCORE_REDIS_SERVER}, else found on {@code PATH}, in {@code /usr/bin} or
 * {@code /usr/local/bin}) on a free port of 127.0.0.1, without persistence. Without a binary it
 * runs a {@code redis:7-alpine} container if Testcontainers finds a Docker engine. Without
 * either it fails the test class (it never skips it).
 *
 * <pre>{@code
 * class CacheTest {
 *   @RegisterExtension
 *   static final RedisExtension REDIS = new RedisExtension();
 *
 *   @Test
 *   void survivesAnOutage() {
 *     try (RedisClient redis = REDIS.newJedis()) {
 *       redis.set("k", "v");
 *       REDIS.stop();   // commands now fail with JedisConnectionException
 *       REDIS.start();  // same port, empty data
 *       assertThat(redis.get("k")).isNull();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>With {@code @ExtendWith(RedisExtension.class)}, declare a parameter of type
 * {@code RedisExtension} in a test method, constructor or lifecycle method to get the instance.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private volatile RedisBackend backend;
    private String ownerId;
    private final boolean appendOnly;

    /** An extension that starts its server in {@code beforeAll}. */
    public RedisExtension() {
        this(false);
    }

    private RedisExtension(boolean appendOnly) {
        this.appendOnly = appendOnly;
    }

    /**
     * An extension whose server persists every write before it answers (AOF, {@code appendfsync
     * always}): after {@link #crash()} or {@link #stop()}, {@link #start()} brings the data back.
     * Needs the local binary (not the container).
     */
    public static RedisExtension withAppendOnlyFile() {
        return new RedisExtension(true);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (backend != null) { // a @Nested class: the server of the enclosing class serves it
            return;
        }
        RedisBackend chosen = appendOnly
                ? new RedisServerProcess(
                        RedisBinary.find()
                                .orElseThrow(() ->
                                        new IllegalStateException("an append-only Redis needs a redis-server binary")),
                        0,
                        true)
                : chooseBackend(
                        RedisBinary.find(), () -> DockerClientFactory.instance().isDockerAvailable());
        try {
            chosen.start();
        } catch (RuntimeException e) {
            chosen.close();
            throw e;
        }
        backend = chosen;
        ownerId = context.getUniqueId();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (backend != null && context.getUniqueId().equals(ownerId)) {
            backend.close();
            backend = null;
            ownerId = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    /** {@return the host to connect to: {@code 127.0.0.1} (in container mode, the Docker host)} */
    public String host() {
        return running().host();
    }

    /** {@return the port to connect to; the same after {@link #stop()} and {@link #start()}} */
    public int port() {
        return running().port();
    }

    /** {@return the URI to connect to, such as {@code redis://127.0.0.1:41234}} */
    public String uri() {
        return "redis://" + host() + ":" + port();
    }

    /** Stops the server, as in an outage: commands then fail until {@link #start()}. */
    public void stop() {
        running().stop();
    }

    /** Kills the server at once (SIGKILL), as a crash; with an append-only file it loses nothing. */
    public void crash() {
        running().crash();
    }

    /**
     * Starts the server again on the same port, with empty data (or, with
     * {@link #withAppendOnlyFile()}, the data of its append-only file), and returns once it answers;
     * does nothing if it runs.
     */
    public void start() {
        running().start();
    }

    /** {@return whether the server runs (false after {@link #stop()})} */
    public boolean isRunning() {
        RedisBackend current = backend;
        return current != null && current.isRunning();
    }

    /** Deletes all keys of this server (never of any other Redis). */
    public void flushAll() {
        try (RedisClient client = newJedis()) {
            client.flushAll();
        }
    }

    /** {@return a new client of this server, which the caller closes} */
    public RedisClient newJedis() {
        return RedisClient.create(host(), port());
    }

    /** The backend to use: the binary if there is one, else Docker, else a failure naming both. */
    static RedisBackend chooseBackend(Optional<Path> binary, BooleanSupplier dockerAvailable) {
        if (binary.isPresent()) {
            return new RedisServerProcess(binary.get());
        }
        if (dockerAvailable.getAsBoolean()) {
            return new ContainerRedis();
        }
        throw new IllegalStateException("No Redis server for the tests: found no redis-server binary"
                + " (looked at " + RedisBinary.OVERRIDE + ", PATH, /usr/bin, /usr/local/bin) and"
                + " Testcontainers found no Docker engine. Either install redis-server"
                + " (apt-get install -y redis-server) or run a Docker engine.");
    }

    private RedisBackend running() {
        RedisBackend current = backend;
        if (current == null) {
            throw new IllegalStateException("RedisExtension has no server: register it on a static field"
                    + " with @RegisterExtension, or with @ExtendWith, and use it within the test class");
        }
        return current;
    }
}
