package io.imcore.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a {@code redis-server} executable on this machine. */
final class RedisBinary {

    /** System property or environment variable naming the {@code redis-server} to use. */
    static final String OVERRIDE = "IMCORE_REDIS_SERVER";

    private static final String NAME = "redis-server";
    private static final String CLI = "redis-cli";

    private RedisBinary() {}

    /**
     * The binary named by {@value #OVERRIDE} (system property first, then environment), else the
     * first {@code redis-server} on {@code PATH}, else {@code /usr/bin} or {@code /usr/local/bin}.
     *
     * @throws IllegalStateException if {@value #OVERRIDE} names no executable file
     */
    static Optional<Path> find() {
        String explicit = System.getProperty(OVERRIDE, System.getenv(OVERRIDE));
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit.trim());
            if (!isExecutableFile(path)) {
                throw new IllegalStateException(OVERRIDE + " is set to " + path
                        + ", which is not an executable file: point it at a redis-server binary or unset it");
            }
            return Optional.of(path);
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(
                        Stream.of(pathVariable.split(File.pathSeparator))
                                .filter(dir -> !dir.isBlank())
                                .map(dir -> Path.of(dir, NAME)),
                        Stream.of(Path.of("/usr/bin", NAME), Path.of("/usr/local/bin", NAME)))
                .filter(RedisBinary::isExecutableFile)
                .findFirst();
    }

    /**
     * The {@code redis-cli} beside {@code server} (same directory), else the first on {@code PATH}, else in
     * {@code /usr/bin} or {@code /usr/local/bin}.
     *
     * @throws IllegalStateException naming where it looked, when there is none
     */
    static Path cliBeside(Path server) {
        Path sibling = server.resolveSibling(CLI);
        if (isExecutableFile(sibling)) {
            return sibling;
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(
                        Stream.of(pathVariable.split(File.pathSeparator))
                                .filter(dir -> !dir.isBlank())
                                .map(dir -> Path.of(dir, CLI)),
                        Stream.of(Path.of("/usr/bin", CLI), Path.of("/usr/local/bin", CLI)))
                .filter(RedisBinary::isExecutableFile)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("found no redis-cli beside " + server
                        + ", on PATH, in /usr/bin or /usr/local/bin: it creates the test Redis Cluster"
                        + " (apt-get install -y redis-tools)"));
    }

    /**
     * The {@code redis-server} to run topologies with (cluster, sentinel): like {@link #find()}, but a failure
     * when there is none (topologies have no container fallback).
     */
    static Path require() {
        return find().orElseThrow(() -> new IllegalStateException("No redis-server for the test topology:"
                + " looked at " + OVERRIDE + ", PATH, /usr/bin, /usr/local/bin."
                + " Install it (apt-get install -y redis-server) or point " + OVERRIDE + " at one."));
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
