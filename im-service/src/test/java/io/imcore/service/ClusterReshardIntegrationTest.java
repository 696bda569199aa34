package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Resharding while messages flow: the slot of a node's inbox is moved to another master (CLUSTER SETSLOT
 * IMPORTING / MIGRATING, MIGRATE of its keys, SETSLOT NODE on every master, as {@code redis-cli --cluster reshard}
 * does) while a business backend sends to a terminal of that node without a pause. The node's reader follows the
 * slot (MOVED / ASK end its read; it asks the cluster again for the master of its key) and keeps its position:
 * every message sent is delivered exactly once.
 */
class ClusterReshardIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static DropwizardAppExtension<ImServiceConfiguration> node;
    private static ImClient client;
    private static String self;

    @BeforeAll
    static void start() throws Exception {
        self = "127.0.0.1:" + FreePorts.next();
        node = new DropwizardAppExtension<>(
                ImServiceApplication.class,
                ResourceHelpers.resourceFilePath("test-node-cluster.yml"),
                ConfigOverride.config("server.applicationConnectors[0].port", self.substring(self.indexOf(':') + 1)),
                ConfigOverride.config("cluster.servers", self),
                ConfigOverride.config("cluster.self", self),
                ConfigOverride.config("redis.cluster.nodes", String.join(",", REDIS.nodes())));
        node.before();
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
    void everyMessageIsDeliveredOnceWhileTheSlotOfTheInboxMoves() throws Exception {
        String inbox = "im:node:" + self;
        String bob = UniqueIds.of("bob");
        try (TestTerminal bobTerminal = TestTerminal.connectReady(client.prevConnectServer(bob, ""))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.hasOnline(bob));
            ConcurrentLinkedQueue<String> returned = new ConcurrentLinkedQueue<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = new Thread(
                    () -> {
                        int i = 0;
                        while (sending.get()) {
                            String text = "m" + i++;
                            try {
                                client.sendMessage("", List.of(bob), text, false);
                                returned.add(text);
                            } catch (RuntimeException e) {
                                // not returned: not counted
                            }
                        }
                    },
                    "sender");
            sender.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> returned.size() >= 200);

            HostAndPort source = REDIS.masterOf(inbox);
            HostAndPort target = REDIS.masters().stream()
                    .filter(master -> !master.equals(source))
                    .findFirst()
                    .orElseThrow();
            moveSlot(JedisClusterCRC16.getSlot(inbox), source, target);
            assertThat(REDIS.masterOf(inbox)).isEqualTo(target);

            int atMove = returned.size();
            await("sends after the move").atMost(Duration.ofSeconds(30)).until(() -> returned.size() >= atMove + 200);
            sending.set(false);
            sender.join(10_000);

            List<String> sent = new ArrayList<>(returned);
            await("every send that returned delivered")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> delivered(bobTerminal).keySet().containsAll(sent));
            Map<String, Integer> delivered = delivered(bobTerminal);
            assertThat(delivered.values()).as("each message once").allMatch(count -> count == 1);
            assertThat(delivered).hasSize(sent.size());
            AdminPort admin = new AdminPort(node.getAdminPort());
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.isHealthy("redis-subscriber"));
        }
    }

    /** What {@code redis-cli --cluster reshard} does for one slot. */
    private static void moveSlot(int slot, HostAndPort source, HostAndPort target) {
        try (Jedis from = new Jedis(source);
                Jedis to = new Jedis(target)) {
            String fromId = from.clusterMyId();
            String toId = to.clusterMyId();
            to.clusterSetSlotImporting(slot, fromId);
            from.clusterSetSlotMigrating(slot, toId);
            List<String> keys;
            while (!(keys = from.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
                for (String key : keys) {
                    from.migrate(target.getHost(), target.getPort(), key, 0, 5000);
                }
            }
            to.clusterSetSlotNode(slot, toId);
            from.clusterSetSlotNode(slot, toId);
            for (HostAndPort other : REDIS.masters()) {
                if (!other.equals(source) && !other.equals(target)) {
                    try (Jedis jedis = new Jedis(other)) {
                        jedis.clusterSetSlotNode(slot, toId);
                    }
                }
            }
        }
    }

    private static Map<String, Integer> delivered(TestTerminal terminal) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (String raw : terminal.history()) {
            JsonNode frame = JSON.readTree(raw);
            if ("msg".equals(frame.path("type").asText())) {
                counts.merge(frame.path("data").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
