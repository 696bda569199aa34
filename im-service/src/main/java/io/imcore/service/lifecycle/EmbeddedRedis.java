package io.imcore.service.lifecycle;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} run by the node as a child process (configured by {@code redis.embedded}): the
 * binary ships in the jar, so a first run needs no Redis installed. It keeps nothing on disk. It is started
 * before every other managed object of the node and stopped after them; if the JVM ends without a clean
 * stop, a shutdown hook of embedded-redis ends the process.
 *
 * <p>{@link #start()} fails with a message naming the port when something already listens there; it never
 * falls back to another port or to another Redis.
 */
public final class EmbeddedRedis implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final String bind;
    private final int port;
    private RedisServer server;

    /** A server for {@code bind}:{@code port}, not started. */
    public EmbeddedRedis(String bind, int port) {
        this.bind = bind;
        this.port = port;
    }

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @throws IllegalStateException when the port is taken or the server cannot start
     */
    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        requirePortFree();
        RedisServer starting;
        try {
            starting = RedisServer.newRedisServer()
                    .bind(bind)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .soutListener(line -> LOG.debug("redis-server: {}", line))
                    .serrListener(line -> LOG.warn("redis-server: {}", line))
                    .build();
            starting.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("redis.embedded: could not start redis-server on " + bind + ":" + port
                    + ": " + e.getMessage(), e);
        }
        server = starting;
        LOG.info("embedded Redis started on {}:{} (nothing is kept on disk; for production use an external Redis)",
                bind, port);
    }

    /** Stops the server; its data is gone. */
    @Override
    public synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } finally {
            server = null;
        }
        LOG.info("embedded Redis on {}:{} stopped", bind, port);
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    private void requirePortFree() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
        } catch (IOException e) {
            throw new IllegalStateException("redis.embedded: port " + port + " on " + bind
                    + " is already in use (" + e.getMessage() + "). Stop what listens there (a Redis left from an"
                    + " earlier run?) or set another redis.embedded.port and the same port in redis.uri.", e);
        }
    }
}
