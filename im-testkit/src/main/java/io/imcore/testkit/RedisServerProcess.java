package io.imcore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A {@code redis-server} child process on 127.0.0.1, without persistence (or with an append-only
 * file written with {@code appendfsync always}, kept across restarts), with its working directory
 * and log ({@code redis.log}) in a temporary directory.
 */
final class RedisServerProcess implements RedisBackend {

    static final String HOST = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 30;
    private static final int CLUSTER_BUS_OFFSET = 10000;

    private final Path binary;
    private final BiFunction<Path, Integer, List<String>> arguments;
    private final Path dir;
    private final Path log;
    private final Thread shutdownHook;
    private volatile int port;
    private volatile Process process;

    /** A server on a free port, chosen at the first {@link #start()}. */
    RedisServerProcess(Path binary) {
        this(binary, 0, false);
    }

    /** A server on the given port (0: a free port, chosen at the first {@link #start()}). */
    RedisServerProcess(Path binary, int port) {
        this(binary, port, false);
    }

    /**
     * A server on the given port (0: a free port), with an append-only file ({@code appendfsync
     * always}) when {@code appendOnly}: a restart then keeps every write that was acknowledged.
     */
    RedisServerProcess(Path binary, int port, boolean appendOnly) {
        this(binary, port, (dir, onPort) -> standaloneArguments(dir, onPort, appendOnly));
    }

    /**
     * A server on the given port started with the given arguments (after the binary), made from its own
     * directory and its port: how cluster nodes and sentinels are started.
     */
    RedisServerProcess(Path binary, int port, BiFunction<Path, Integer, List<String>> arguments) {
        this.binary = binary;
        this.port = port;
        this.arguments = arguments;
        try {
            this.dir = Files.createTempDirectory("imcore-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for redis-server", e);
        }
        this.log = dir.resolve("redis.log");
        this.shutdownHook = new Thread(this::kill, "imcore-redis-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        if (port != 0) {
            launch(port);
            return;
        }
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int candidate = freePort();
            try {
                launch(candidate);
                port = candidate;
                return;
            } catch (IllegalStateException e) { // e.g. another process took the port meanwhile
                failure = e;
            }
        }
        throw failure;
    }

    @Override
    public synchronized void stop() {
        Process running = process;
        process = null;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(5, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void crash() {
        Process running = process;
        process = null;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        try {
            running.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook kills the server
        }
        deleteDir();
    }

    /** {@return the directory of this server (its working directory, log and any config file)} */
    Path dir() {
        return dir;
    }

    /** For the JVM's shutdown: no lock, no waiting. */
    private void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    private void launch(int onPort) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments.apply(dir, onPort));
        Process started;
        try {
            started = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        process = started;
        long pid = started.pid();
        if (!RedisProbe.await(HOST, onPort, STARTUP_TIMEOUT, started::isAlive, id -> id == pid)) {
            String outcome = started.isAlive()
                    ? "did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s"
                    : "exited with code " + started.exitValue();
            stop();
            throw new IllegalStateException(binary + " on " + HOST + ":" + onPort + " " + outcome
                    + "; last lines of its log " + log + ":\n" + logTail());
        }
    }

    private static List<String> standaloneArguments(Path dir, int port, boolean appendOnly) {
        return List.of(
                "--port",
                Integer.toString(port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                appendOnly ? "yes" : "no",
                "--appendfsync",
                "always",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /**
     * A free port of {@value #HOST} below 55535 whose cluster bus port (the port + 10000) is free too: for Redis
     * Cluster nodes.
     */
    static int freeClusterPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = freePort();
            if (candidate + CLUSTER_BUS_OFFSET <= 65535 && isFree(candidate + CLUSTER_BUS_OFFSET)) {
                return candidate;
            }
        }
        throw new IllegalStateException("found no free port on " + HOST + " whose +10000 is free too");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }
}
