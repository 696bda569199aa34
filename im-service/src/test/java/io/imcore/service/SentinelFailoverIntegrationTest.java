package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClientOptions;
import io.imcore.client.ImHelper;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RedisSentinelExtension;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;

/**
 * A node and ImHelper on a real Sentinel set (master, replica, three sentinels): they work on it, and when the master
 * is killed (SIGKILL) and the sentinels promote the replica, they find the new master without a restart; the node's
 * health says so: unhealthy during the outage, healthy after. The terminals stay connected throughout.
 */
class SentinelFailoverIntegrationTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

    @RegisterExtension
    static final RedisSentinelExtension SENTINEL = new RedisSentinelExtension();

    private static DropwizardAppExtension<ImServiceConfiguration> node;
    private static AdminPort admin;

    @BeforeAll
    static void start() throws Exception {
        String self = "127.0.0.1:" + FreePorts.next();
        node = new DropwizardAppExtension<>(
                ImServiceApplication.class,
                ResourceHelpers.resourceFilePath("test-node-sentinel.yml"),
                ConfigOverride.config("server.applicationConnectors[0].port", self.substring(self.indexOf(':') + 1)),
                ConfigOverride.config("cluster.servers", self),
                ConfigOverride.config("cluster.self", self),
                ConfigOverride.config("redis.sentinel.masterName", RedisSentinelExtension.MASTER_NAME),
                ConfigOverride.config("redis.sentinel.nodes", String.join(",", SENTINEL.sentinelNodes())));
        node.before();
        admin = new AdminPort(node.getAdminPort());
        ImHelper.initialization(ImClientOptions.builder()
                .redisSentinel(RedisSentinelExtension.MASTER_NAME, SENTINEL.sentinelNodes())
                .servers(List.of(self))
                .connectTimeout(CLIENT_TIMEOUT)
                .socketTimeout(CLIENT_TIMEOUT)
                .resubscribeMaxDelay(Duration.ofMillis(200))
                .build());
    }

    @AfterAll
    static void stop() {
        ImHelper.close();
        if (node != null) {
            node.after();
        }
    }

    @Test
    void nodeAndHelperFollowAFailoverWithoutARestart() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = TestTerminal.connectReady(ImHelper.prevConnectServer(alice, ""));
                TestTerminal bobTerminal = TestTerminal.connectReady(ImHelper.prevConnectServer(bob, ""))) {
            assertThat(admin.isHealthy("redis")).isTrue();
            assertThat(admin.health().path("redis").path("message").asText())
                    .contains("master " + SENTINEL.currentMaster());
            await().atMost(Duration.ofSeconds(5)).until(() -> ImHelper.hasOnline(bob));
            exchangeWithReceipt(alice, aliceTerminal, bob, bobTerminal, "before");

            HostAndPort old = SENTINEL.killMaster();
            await("the outage in the node's health")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !admin.isHealthy("redis"));
            HostAndPort promoted = SENTINEL.awaitFailover(old);
            await("the recovery in the node's health")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> admin.healthStatus() == 200);
            assertThat(admin.health().path("redis").path("message").asText()).contains("master " + promoted);

            assertThat(aliceTerminal.isOpen()).isTrue();
            assertThat(bobTerminal.isOpen()).isTrue();
            await("ImHelper on the new master")
                    .atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> ImHelper.hasOnline(bob));
            exchangeWithReceipt(alice, aliceTerminal, bob, bobTerminal, "after");
            String carol = UniqueIds.of("carol");
            try (TestTerminal carolTerminal = TestTerminal.connectReady(ImHelper.prevConnectServer(carol, ""))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> ImHelper.hasOnline(carol));
                ImHelper.sendMessage("", List.of(carol), "welcome", false);
                assertThat(carolTerminal.next("msg").path("data").asText()).isEqualTo("welcome");
            }
        }
    }

    private static void exchangeWithReceipt(
            String alice, TestTerminal aliceTerminal, String bob, TestTerminal bobTerminal, String text) {
        String id = ImHelper.sendMessage(alice, List.of(bob), text, true);
        JsonNode message = bobTerminal.next("msg");
        assertThat(message.path("id").asText()).isEqualTo(id);
        assertThat(message.path("data").asText()).isEqualTo(text);
        JsonNode receipt = aliceTerminal.next("receipt");
        assertThat(receipt.path("id").asText()).isEqualTo(id);
        assertThat(receipt.path("status").asText()).isEqualTo("delivered");
    }
}
