package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.service.support.TestNodes;
import io.imcore.service.support.TestTerminal;
import io.imcore.testkit.RedisExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EndToEndSmokeTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(1);

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE = CLUSTER.node(0, REDIS);

    static ImClient client;

    @BeforeAll
    static void client() {
        client = CLUSTER.client(REDIS);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    void messagePublishedThroughImClientReachesTheTerminalWithAReceipt() {
        try (TestTerminal alice = TestTerminal.connectReady(client.prevConnectServer("alice", "a"));
             TestTerminal bob = TestTerminal.connectReady(client.prevConnectServer("bob", "b"))) {
            String id = client.sendMessage("alice", List.of("bob"), Map.of("text", "hi"), true);

            JsonNode msg = bob.next("msg");
            assertThat(msg.path("id").asText()).isEqualTo(id);
            assertThat(msg.path("from").asText()).isEqualTo("alice");
            assertThat(msg.path("data").path("text").asText()).isEqualTo("hi");

            JsonNode receipt = alice.next("receipt");
            assertThat(receipt.path("id").asText()).isEqualTo(id);
            assertThat(receipt.path("to").asText()).isEqualTo("bob");
            assertThat(receipt.path("status").asText()).isEqualTo("delivered");
        }
    }
}
