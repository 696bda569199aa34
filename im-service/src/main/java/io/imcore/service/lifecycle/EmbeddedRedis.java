package io.imcore.service.lifecycle;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real {@code redis-server} run by the node as a child process (configured by {@code redis.embedded}): the
 * binary ships in the jar, so a first run needs no Redis installed. It keeps nothing on disk. It is started
 * before every other managed object of the node and stopped after them; if the JVM ends without a clean
 * stop, a shutdown hook of embedded-redis ends the process.
 *
 * <p>Where {@code setsid} exists (Linux), the server runs in a session of its own: a Ctrl-C in the terminal
 * that runs the node sends SIGINT to the terminal's foreground process group, and a {@code redis-server} in
 * that group would quit at once, before the node has written its offline events. In its own session only the
 * node gets the signal, stops cleanly, and stops the server last.
 *
 * <p>{@link #start()} fails with a message naming the port when something already listens there; it never
 * falls back to another port or to another Redis.
 */
public final class EmbeddedRedis implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private static final List<Path> SETSID_LOCATIONS = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

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
            RedisServerBuilder builder = RedisServer.newRedisServer()
                    .bind(bind)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no");
            starting = new RedisServer(
                    port,
                    inSessionOfItsOwn(builder.buildCommandArgs()),
                    false,
                    line -> LOG.debug("redis-server: {}", line),
                    line -> LOG.warn("redis-server: {}", line));
            starting.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "redis.embedded: could not start redis-server on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        server = starting;
        LOG.info(
                "embedded Redis started on {}:{} (nothing is kept on disk; for production use an external Redis)",
                bind,
                port);
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

    /**
     * {@code command} run through {@code setsid}, which execs it in a new session (same pid, so stopping the
     * process still stops the server), or as it is where there is no {@code setsid}.
     */
    static List<String> inSessionOfItsOwn(List<String> command) {
        Path setsid = SETSID_LOCATIONS.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (setsid == null) {
            LOG.info("no setsid here: a Ctrl-C in this terminal also reaches the embedded redis-server; stop the"
                    + " node with SIGTERM (kill <pid>) for a clean stop");
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(setsid.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    private void requirePortFree() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "redis.embedded: port " + port + " on " + bind
                            + " is already in use (" + e.getMessage()
                            + "). Stop what listens there (a Redis left from an"
                            + " earlier run?) or set another redis.embedded.port and the same port in redis.uri.",
                    e);
        }
    }
}
