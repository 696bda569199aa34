package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.protocol.Rendezvous;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RedisClusterExtension;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * Two nodes and ImClient on a real Redis Cluster of three masters, each with a replica: connect, p2p with
 * receipts across nodes, channels, presence events, kick, broadcast, admin tasks; the keys spread over every
 * master; and a master failover inside the cluster (the master of node 0's inbox killed, its replica promoted)
 * survived by the node without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCoreIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(3, 1);

    private static final List<DropwizardAppExtension<ImServiceConfiguration>> NODES = new ArrayList<>();
    private static final List<String> SERVERS = new ArrayList<>();
    private static ImClient client;
    private static PresenceRecorder events;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 2; i++) {
            SERVERS.add("127.0.0.1:" + FreePorts.next());
        }
        for (String self : SERVERS) {
            DropwizardAppExtension<ImServiceConfiguration> node = new DropwizardAppExtension<>(
                    ImServiceApplication.class,
                    ResourceHelpers.resourceFilePath("test-node-cluster.yml"),
                    ConfigOverride.config(
                            "server.applicationConnectors[0].port", self.substring(self.indexOf(':') + 1)),
                    ConfigOverride.config("cluster.servers", String.join(",", SERVERS)),
                    ConfigOverride.config("cluster.self", self),
                    ConfigOverride.config("redis.cluster.nodes", String.join(",", REDIS.nodes())));
            node.before();
            NODES.add(node);
        }
        client = ImClient.create(ImClientOptions.builder()
                .redisCluster(REDIS.nodes())
                .servers(SERVERS)
                .connectTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2))
                .resubscribeMaxDelay(Duration.ofMillis(200))
                .build());
        events = PresenceRecorder.start(client);
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
        }
        if (client != null) {
            client.close();
        }
        // in reverse: each restores the system properties (config overrides) it found at its start
        for (int i = NODES.size() - 1; i >= 0; i--) {
            NODES.get(i).after();
        }
    }

    private static String on(int node, String base) {
        String unique = UniqueIds.of(base);
        for (int i = 0; ; i++) {
            String id = unique + "-" + i;
            if (SERVERS.get(node).equals(Rendezvous.home(id, SERVERS))) {
                return id;
            }
        }
    }

    private static TestTerminal connect(String clientId) {
        return TestTerminal.connectReady(client.prevConnectServer(clientId, "meta"));
    }

    private static AdminPort admin(int node) {
        return new AdminPort(NODES.get(node).getAdminPort());
    }

    @Test
    @Order(1)
    void p2pWithReceiptsChannelsPresenceKickBroadcastAndTasksWork() {
        String alice = on(0, "alice");
        String bob = on(1, "bob");
        String chan = UniqueIds.of("room");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            await().atMost(WAIT).until(() -> client.hasOnline(alice) && client.hasOnline(bob));
            await("online events")
                    .atMost(WAIT)
                    .until(() -> !events.of("online", bob).isEmpty());

            exchange(alice, aliceTerminal, bob, bobTerminal, "hello over the cluster");

            client.joinChan(alice, chan);
            client.joinChan(bob, chan);
            assertThat(client.getChanClientList(chan)).containsExactlyInAnyOrder(alice, bob);
            await().atMost(WAIT).until(() -> client.getChanOnline(chan) == 2);
            String chanId = client.sendChanMessage(alice, chan, "to the room");
            assertThat(bobTerminal.next("chan").path("id").asText()).isEqualTo(chanId);
            assertThat(aliceTerminal.next("chan").path("id").asText()).isEqualTo(chanId);

            JsonNode channel = admin(0).taskJson("channel", "name=" + AdminPort.enc(chan));
            assertThat(channel.path("count").asInt()).isEqualTo(2);
            assertThat(channel.path("online").asInt()).isEqualTo(2);
            // node 0 answers from its membership view, which sees node 1 at its next refresh at the latest
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(admin(0).taskJson("client", "id=" + AdminPort.enc(bob))
                                    .path("node")
                                    .asText())
                            .isEqualTo(SERVERS.get(1)));
            JsonNode bobInfo = admin(0).taskJson("client", "id=" + AdminPort.enc(bob));
            assertThat(bobInfo.path("connections").asLong()).isEqualTo(1);

            client.leaveChan(alice, chan);
            assertThat(client.getChanClientList(chan)).containsExactly(bob);
            client.leaveChan(bob, chan);
            assertThat(client.getChanClientList(chan)).isEmpty();
            assertThat(client.getChanList()).noneMatch(info -> info.chan().equals(chan));

            String all = client.sendBroadcastMessage("to everyone");
            assertThat(aliceTerminal.next("msg").path("id").asText()).isEqualTo(all);
            assertThat(bobTerminal.next("msg").path("id").asText()).isEqualTo(all);

            assertThat(admin(1).task("kick", "id=" + AdminPort.enc(bob)).statusCode())
                    .isEqualTo(200);
            bobTerminal.awaitCloseCode();
            await("offline event")
                    .atMost(WAIT)
                    .until(() -> !events.of("offline", bob).isEmpty());
            client.forceOffline(alice);
            aliceTerminal.awaitCloseCode();
            await().atMost(WAIT).until(() -> !client.hasOnline(alice));
        }
    }

    @Test
    @Order(2)
    void keysSpreadOverEveryMaster() {
        for (int i = 0; i < 30; i++) {
            client.joinChan(on(i % 2, "spread"), UniqueIds.of("chan"));
        }
        Map<String, Long> perMaster = REDIS.keysPerMaster();
        assertThat(perMaster).hasSize(3);
        assertThat(perMaster.values()).as("keys per master %s", perMaster).allMatch(count -> count > 0);
    }

    @Test
    @Order(3)
    void channelTrafficGoesToEveryNodesInboxNotToOneHotKey() {
        String member = on(1, "member");
        String chan = UniqueIds.of("hot");
        client.joinChan(member, chan);
        try (TestTerminal terminal = connect(member);
                RedisClusterClient redis = REDIS.newClient()) {
            long before = redis.xlen("im:broadcast");
            double node0Before = admin(0).metric("im.envelopes.received.chan");
            String id = client.sendChanMessage("", chan, "spread");
            assertThat(terminal.next("chan").path("id").asText()).isEqualTo(id);
            assertThat(redis.xlen("im:broadcast")).as("entries on im:broadcast").isEqualTo(before);
            // node 0, without a member, read it from its own inbox too
            await().atMost(WAIT).until(() -> admin(0).metric("im.envelopes.received.chan") > node0Before);
        }
    }

    @Test
    @Order(4)
    void aNodeSurvivesAFailoverOfTheMasterOfItsInbox() {
        String alice = on(1, "alice");
        String bob = on(0, "bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            await().atMost(WAIT).until(() -> client.hasOnline(alice) && client.hasOnline(bob));
            exchange(alice, aliceTerminal, bob, bobTerminal, "before");

            HostAndPort killed = REDIS.killMasterOf("im:node:" + SERVERS.get(0));
            assertThat(REDIS.masterOf("im:node:" + SERVERS.get(0))).isNotEqualTo(killed);

            await("ImClient on the promoted master")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> client.hasOnline(bob));
            await("the node reading its inbox again")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> admin(0).isHealthy("redis-subscriber"));
            assertThat(bobTerminal.isOpen()).isTrue();
            exchange(alice, aliceTerminal, bob, bobTerminal, "after");
        }
    }

    private static void exchange(
            String from, TestTerminal fromTerminal, String to, TestTerminal toTerminal, String text) {
        String id = client.sendMessage(from, List.of(to), text, true);
        JsonNode message = toTerminal.next("msg");
        assertThat(message.path("id").asText()).isEqualTo(id);
        assertThat(message.path("data").asText()).isEqualTo(text);
        JsonNode receipt = fromTerminal.next("receipt");
        assertThat(receipt.path("id").asText()).isEqualTo(id);
        assertThat(receipt.path("status").asText()).isEqualTo("delivered");
    }
}
