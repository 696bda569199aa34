package io.imcore.example.support;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.imcore.client.ImClient;
import io.imcore.example.ImExampleApplication;
import io.imcore.example.ImExampleConfiguration;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One push node (im-service's {@link NodeCluster} fixture, with its own Redis) and the demo app, both in the test
 * JVM: what the README's two commands start, on free ports. Register it with one line:
 *
 * <pre>{@code
 * @RegisterExtension static final DemoStack STACK = new DemoStack();
 * }</pre>
 */
public final class DemoStack implements BeforeAllCallback, AfterAllCallback {
    // The demo reads its overrides under a prefix of its own, or it would see the node's (dw.*).
    private static final String DEMO = "demo";

    private final NodeCluster node;
    private DropwizardTestSupport<ImExampleConfiguration> demo;

    /** One node, in the test JVM. */
    public DemoStack() {
        // imcore.js acks by default, so a closed page's session waits out its resume window before its unacked
        // messages are answered offline: a short window keeps the browser tests' offline receipts quick
        this(NodeCluster.singleNode().override("websocket.resume.window", "8s"));
    }

    private DemoStack(NodeCluster node) {
        this.node = node;
    }

    /**
     * Two nodes with live membership on the default lease (6 s) and refresh (2 s): node 0 in the test JVM, node 1
     * for the test to start as a process of its own ({@link #startProcess}) and kill.
     */
    public static DemoStack withSecondNodeAsProcess() {
        return new DemoStack(NodeCluster.ofSize(2)
                .running(0)
                .override("websocket.resume.window", "8s")
                .override("cluster.lease", "6s")
                .override("cluster.refreshInterval", "2s"));
    }

    /** Starts node {@code index} as a process of its own with the default lease and refresh. */
    public NodeProcess startProcess(int index) {
        return node.startProcess(
                index, Map.of("cluster.lease", "6s", "cluster.refreshInterval", "2s", "websocket.resume.window", "8s"));
    }

    /** The entry of node {@code index}. */
    public String nodeEntry(int index) {
        return node.entry(index);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        node.beforeAll(context);
        demo = new DropwizardTestSupport<>(
                ImExampleApplication.class,
                ResourceHelpers.resourceFilePath("test-example.yml"),
                DEMO,
                ConfigOverride.config(DEMO, "im.redisUri", node.redisServer()::uri),
                ConfigOverride.config(DEMO, "im.servers", String.join(",", node.servers())));
        demo.before();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (demo != null) {
                demo.after();
            }
        } finally {
            node.afterAll(context);
        }
    }

    /** Starts the node (again, on the same port). */
    public void startNode() throws Exception {
        node.startNode(0);
    }

    /** Stops the node cleanly: its terminals are closed with 1001. */
    public void stopNode() {
        node.stopNode(0);
    }

    /** The demo page's address, such as {@code http://127.0.0.1:41234/}. */
    public String demoUrl() {
        return "http://127.0.0.1:" + demo.getLocalPort() + "/";
    }

    /** The node's WebSocket port. */
    public int nodePort() {
        return node.port(0);
    }

    /** The node's entry in {@code cluster.servers}. */
    public String nodeEntry() {
        return node.entry(0);
    }

    /** A business-side client of this stack (for what a test does besides the page); the caller closes it. */
    public ImClient newClient() {
        return ImClient.create(node.clientOptions());
    }
}
