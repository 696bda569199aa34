package io.imcore.example.support;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.example.ImExampleApplication;
import io.imcore.example.ImExampleConfiguration;
import io.imcore.service.ImServiceApplication;
import io.imcore.service.ImServiceConfiguration;
import io.imcore.testkit.RedisExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One push node and the demo app, both in the test JVM, on the {@link RedisExtension}'s Redis: what the README's
 * two commands start, on free ports. Register it after the Redis extension:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final RedisExtension REDIS = new RedisExtension();
 * @RegisterExtension @Order(2) static final DemoStack STACK = new DemoStack(REDIS);
 * }</pre>
 */
public final class DemoStack implements BeforeAllCallback, AfterAllCallback {
    // Overrides are system properties: each app reads its own prefix, or one would see the other's keys.
    private static final String NODE = "node";
    private static final String DEMO = "demo";

    private final RedisExtension redis;
    private final int nodePort = freePort();
    private final String entry = "127.0.0.1:" + nodePort;
    private DropwizardTestSupport<ImServiceConfiguration> node;
    private DropwizardTestSupport<ImExampleConfiguration> demo;

    public DemoStack(RedisExtension redis) {
        this.redis = redis;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startNode();
        demo = new DropwizardTestSupport<>(ImExampleApplication.class,
                ResourceHelpers.resourceFilePath("test-example.yml"), DEMO,
                ConfigOverride.config(DEMO, "im.redisUri", redis::uri),
                ConfigOverride.config(DEMO, "im.servers", entry));
        demo.before();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (demo != null) {
            demo.after();
        }
        stopNode();
    }

    /** Starts the node (again, on the same port). */
    public void startNode() throws Exception {
        node = new DropwizardTestSupport<>(ImServiceApplication.class,
                ResourceHelpers.resourceFilePath("test-node.yml"), NODE,
                ConfigOverride.config(NODE, "server.applicationConnectors[0].port", Integer.toString(nodePort)),
                ConfigOverride.config(NODE, "cluster.servers", entry),
                ConfigOverride.config(NODE, "cluster.self", entry),
                ConfigOverride.config(NODE, "redis.uri", redis::uri));
        node.before();
    }

    /** Stops the node cleanly: its terminals are closed with 1001. */
    public void stopNode() {
        if (node != null) {
            node.after();
            node = null;
        }
    }

    /** The demo page's address, such as {@code http://127.0.0.1:41234/}. */
    public String demoUrl() {
        return "http://127.0.0.1:" + demo.getLocalPort() + "/";
    }

    /** The node's entry in {@code cluster.servers}. */
    public String nodeEntry() {
        return entry;
    }

    /** A business-side client of this stack (for what a test does besides the page); the caller closes it. */
    public ImClient newClient() {
        return ImClient.create(ImClientOptions.builder().redisUri(redis.uri()).servers(List.of(entry)).build());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
