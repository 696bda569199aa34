package io.imcore.service.support;

import io.dropwizard.testing.ResourceHelpers;
import io.imcore.service.ImServiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A node in a JVM of its own ({@code java -cp <test class path> ImServiceApplication server test-node.yml}),
 * so a test can kill it (SIGKILL) or stop it (SIGTERM) as an operator would. Its output goes to a log file
 * under {@code target/}; {@link #close()} kills it if it still runs.
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final AdminPort admin;

    private NodeProcess(Process process, Path log, int adminPort) {
        this.process = process;
        this.log = log;
        this.admin = new AdminPort(adminPort);
    }

    /**
     * Starts node {@code index} of {@code cluster} on {@code redisUri} with {@code test-node.yml} and the
     * {@code overrides} (Dropwizard {@code dw.} properties, such as {@code cluster.lease}), and waits until its
     * health checks pass.
     */
    public static NodeProcess start(NodeCluster cluster, int index, String redisUri, Map<String, String> overrides) {
        return start(cluster, index, redisUri, overrides, List.of());
    }

    /** {@link #start(NodeCluster, int, String, Map)} with extra JVM options, such as a trust store. */
    public static NodeProcess start(
            NodeCluster cluster, int index, String redisUri, Map<String, String> overrides, List<String> jvmOptions) {
        int adminPort = FreePorts.next();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster on a busy machine; tests need no peak speed
        command.add("-cp");
        command.add(classPath());
        property(command, "server.applicationConnectors[0].port", Integer.toString(cluster.port(index)));
        property(command, "server.adminConnectors[0].port", Integer.toString(adminPort));
        property(command, "cluster.servers", String.join(",", cluster.servers()));
        property(command, "cluster.self", cluster.entry(index));
        property(command, "redis.uri", redisUri);
        overrides.forEach((key, value) -> property(command, key, value));
        command.add(ImServiceApplication.class.getName());
        command.add("server");
        command.add(ResourceHelpers.resourceFilePath("test-node.yml"));
        return launch(command, "node-" + index + "-", adminPort);
    }

    /**
     * Starts a node with the configuration file {@code config} (such as the repository's top-level
     * {@code config.yml}) and the {@code overrides}, through {@code setsid}: its JVM leads a session and process
     * group of its own, whose id is its pid, as a node started from a terminal leads the terminal's foreground
     * group. {@code adminPort} must be the admin port the overrides give it. Waits until its health checks pass.
     */
    public static NodeProcess startInOwnProcessGroup(Path config, int adminPort, Map<String, String> overrides) {
        List<String> command = new ArrayList<>();
        command.add(setsid().toString());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath());
        overrides.forEach((key, value) -> property(command, key, value));
        command.add(ImServiceApplication.class.getName());
        command.add("server");
        command.add(config.toAbsolutePath().toString());
        return launch(command, "node-own-group-", adminPort);
    }

    /** The {@code setsid} of util-linux, or a failed assumption (the test is skipped) where there is none. */
    public static Path setsid() {
        Path setsid = Stream.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(setsid != null, "no setsid on this machine");
        return setsid;
    }

    private static NodeProcess launch(List<String> command, String logName, int adminPort) {
        Path log;
        try {
            Path dir = Files.createDirectories(Path.of("target", "node-processes"));
            log = Files.createTempFile(dir, logName, ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "node-process-kill"));
            NodeProcess node = new NodeProcess(process, log, adminPort);
            node.awaitHealthy(Duration.ofSeconds(30));
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test class path: surefire names it in a property of its own, an IDE in {@code java.class.path}. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static void property(List<String> command, String key, String value) {
        command.add("-Ddw." + key + "=" + value);
    }

    private void awaitHealthy(Duration timeout) {
        try {
            Awaitility.await("node process healthy")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(
                                    "node process exited with " + process.exitValue() + "; its log:\n" + log());
                        }
                        return admin.healthStatus() == 200;
                    });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public AdminPort admin() {
        return admin;
    }

    /** SIGKILL, as a crash: nothing of the node runs after it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("node process still runs after SIGKILL");
        }
    }

    /** The process id of the node's JVM. */
    public long pid() {
        return process.pid();
    }

    /** SIGSTOP: the node freezes, as in a long GC pause or a stalled VM; {@link #resume()} lets it go on. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /** {@code kill -s <name> <pid>} on this node's own pid only (never a negative pid: a process group). */
    private void signal(String name) {
        long pid = process.pid();
        if (pid <= 1) {
            throw new IllegalStateException("refusing to signal pid " + pid);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGSTOP: the node stops in its tracks, reading nothing, its connections left open ({@link #pause()}). */
    public void freeze() throws IOException, InterruptedException {
        pause();
    }

    /** Sends SIGTERM and does not wait. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Sends SIGINT to the node's whole process group ({@code kill -s INT -- -<pid>}), as Ctrl-C in a terminal does;
     * the node must lead its group ({@link #startInOwnProcessGroup}). Does not wait.
     */
    public void interruptGroup() throws IOException, InterruptedException {
        long pid = process.pid();
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (pid <= 1 || !fields[2].equals(Long.toString(pid))) {
            throw new AssertionError(
                    "node process " + pid + " does not lead its process group (/proc stat: " + stat + ")");
        }
        // "-s INT --" and not "-INT -<pid>": procps-ng 4.0's kill reads the latter as kill(-1, SIGINT), every process
        Process kill = new ProcessBuilder("kill", "-s", "INT", "--", "-" + pid)
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s INT -- -" + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Waits for the process to end and returns its exit status; fails after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node process still runs after " + timeout + "; its log:\n" + log());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's output so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
