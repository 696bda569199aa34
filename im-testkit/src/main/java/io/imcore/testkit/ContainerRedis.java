package io.imcore.testkit;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis in a Testcontainers {@code redis:7-alpine} container, without persistence. A restart
 * runs a new container (empty data) bound to the host port of the first one.
 */
final class ContainerRedis implements RedisBackend {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");
    private static final int REDIS_PORT = 6379;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private volatile GenericContainer<?> container;
    private volatile String host;
    private volatile int port;

    @Override
    public String host() {
        return host;
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
        GenericContainer<?> started = newContainer();
        try {
            started.start();
        } catch (RuntimeException e) {
            started.stop();
            throw new IllegalStateException("the " + IMAGE + " container did not start: " + e.getMessage(), e);
        }
        container = started;
        host = started.getHost();
        port = started.getMappedPort(REDIS_PORT);
        if (!RedisProbe.await(host, port, ANSWER_TIMEOUT, started::isRunning, pid -> true)) {
            String logs = started.getLogs();
            stop();
            throw new IllegalStateException("the " + IMAGE + " container did not answer on " + host + ":" + port
                    + " within " + ANSWER_TIMEOUT.toSeconds() + " s; its log:\n" + logs);
        }
    }

    @Override
    public synchronized void stop() {
        GenericContainer<?> running = container;
        container = null;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public boolean isRunning() {
        GenericContainer<?> running = container;
        return running != null && running.isRunning();
    }

    @Override
    public void close() {
        stop();
    }

    private GenericContainer<?> newContainer() {
        GenericContainer<?> created = new GenericContainer<>(IMAGE)
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no")
                .withStartupTimeout(STARTUP_TIMEOUT);
        int samePort = port;
        if (samePort != 0) { // a restart: keep the host port that clients already use
            created.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                    .withPortBindings(new PortBinding(Ports.Binding.bindPort(samePort), ExposedPort.tcp(REDIS_PORT))));
        }
        return created;
    }
}
