package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RedisClusterExtension;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * {@code redis.cluster.waitReplicas} on a real cluster (3 masters, a replica each): the node's receipts and events
 * are followed by a {@code WAIT} on the master of their key, acknowledged while the replicas are up; with the
 * replicas gone they are still written and delivered, and counted in {@code im.redis.publish.unacknowledged}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterWaitReplicasIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(3, 1);

    private static DropwizardAppExtension<ImServiceConfiguration> node;
    private static ImClient client;

    @BeforeAll
    static void start() throws Exception {
        String self = "127.0.0.1:" + FreePorts.next();
        node = new DropwizardAppExtension<>(
                ImServiceApplication.class,
                ResourceHelpers.resourceFilePath("test-node-cluster.yml"),
                ConfigOverride.config("server.applicationConnectors[0].port", self.substring(self.indexOf(':') + 1)),
                ConfigOverride.config("cluster.servers", self),
                ConfigOverride.config("cluster.self", self),
                ConfigOverride.config("redis.cluster.nodes", String.join(",", REDIS.nodes())),
                ConfigOverride.config("redis.cluster.waitReplicas", "1"),
                ConfigOverride.config("redis.cluster.waitTimeout", "300ms"));
        node.before();
        // no WAIT of its own: every WAIT the masters count is the node's
        client = ImClient.create(ImClientOptions.builder()
                .redisCluster(REDIS.nodes())
                .servers(List.of(self))
                .connectTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2))
                .build());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.after();
        }
    }

    @Test
    @Order(1)
    void receiptsAndEventsWaitForTheReplicaOfTheirMaster() {
        long waitsBefore = waits();
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            await().atMost(WAIT).until(() -> client.hasOnline(alice) && client.hasOnline(bob));
            for (int i = 0; i < 20; i++) {
                exchange(alice, aliceTerminal, bob, bobTerminal, "m" + i);
            }
        }
        // 20 receipts and 2 online events at least
        assertThat(waits() - waitsBefore).as("WAIT calls on the masters").isGreaterThanOrEqualTo(22);
        assertThat(admin().counter("im.redis.publish.unacknowledged")).isZero();
    }

    @Test
    @Order(2)
    void withoutReplicasWritesGoOnAndAreCountedUnacknowledged() {
        assertThat(REDIS.killReplicas()).hasSize(3);
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            await().atMost(WAIT).until(() -> client.hasOnline(alice) && client.hasOnline(bob));
            exchange(alice, aliceTerminal, bob, bobTerminal, "no replica");
        }
        await("the receipt and the online events counted")
                .atMost(WAIT)
                .until(() -> admin().counter("im.redis.publish.unacknowledged") >= 3);
    }

    private static long waits() {
        long calls = 0;
        for (HostAndPort master : REDIS.masters()) {
            try (Jedis jedis = new Jedis(master)) {
                String stats = jedis.info("commandstats");
                calls += stats.lines()
                        .filter(line -> line.startsWith("cmdstat_wait:calls="))
                        .mapToLong(line ->
                                Long.parseLong(line.substring("cmdstat_wait:calls=".length(), line.indexOf(','))))
                        .sum();
            }
        }
        return calls;
    }

    private static TestTerminal connect(String clientId) {
        return TestTerminal.connectReady(client.prevConnectServer(clientId, "meta"));
    }

    private static AdminPort admin() {
        return new AdminPort(node.getAdminPort());
    }

    private static void exchange(
            String from, TestTerminal fromTerminal, String to, TestTerminal toTerminal, String text) {
        String id = client.sendMessage(from, List.of(to), text, true);
        JsonNode message = toTerminal.next("msg");
        assertThat(message.path("id").asText()).isEqualTo(id);
        JsonNode receipt = fromTerminal.next("receipt");
        assertThat(receipt.path("id").asText()).isEqualTo(id);
        assertThat(receipt.path("status").asText()).isEqualTo("delivered");
    }
}
