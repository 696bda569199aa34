package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.service.support.FreePorts;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node with redis.embedded runs its own Redis: terminals connect with nothing else installed. */
class EmbeddedRedisIntegrationTest {

    @Test
    void theNodeStartsItsOwnRedisServesATerminalAndStopsTheRedisLast() throws Exception {
        int redisPort = FreePorts.next();
        int nodePort = FreePorts.next();
        String entry = "127.0.0.1:" + nodePort;
        DropwizardTestSupport<ImServiceConfiguration> node = node(nodePort, redisPort);
        node.before();
        try (ImClient client = ImClient.create(ImClientOptions.builder()
                .redisUri("redis://127.0.0.1:" + redisPort)
                .servers(List.of(entry))
                .build())) {
            TestTerminal ann = TestTerminal.connectReady(client.prevConnectServer("ann", ""));
            client.sendMessage("", List.of("ann"), "hi", false);
            assertThat(ann.next("msg").path("data").asText()).isEqualTo("hi");
            assertThat(client.hasOnline("ann")).isTrue();
        } finally {
            node.after();
        }
        assertThat(listening(redisPort))
                .as("embedded Redis stopped with the node")
                .isFalse();
    }

    @Test
    void aTakenEmbeddedPortStopsTheNodeAtStartWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DropwizardTestSupport<ImServiceConfiguration> node = node(FreePorts.next(), taken.getLocalPort());
            try {
                assertThatThrownBy(node::before)
                        .hasStackTraceContaining(
                                "redis.embedded: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
            } finally {
                node.after();
            }
        }
    }

    private static DropwizardTestSupport<ImServiceConfiguration> node(int nodePort, int redisPort) {
        String entry = "127.0.0.1:" + nodePort;
        return new DropwizardTestSupport<>(
                ImServiceApplication.class,
                ResourceHelpers.resourceFilePath("test-node.yml"),
                ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(nodePort)),
                ConfigOverride.config("cluster.servers", entry),
                ConfigOverride.config("cluster.self", entry),
                ConfigOverride.config("redis.uri", "redis://127.0.0.1:" + redisPort),
                ConfigOverride.config("redis.embedded.port", Integer.toString(redisPort)));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
