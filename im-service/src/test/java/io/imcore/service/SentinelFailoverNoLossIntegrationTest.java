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
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RedisSentinelExtension;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;

/**
 * The {@code WAIT} knob on Sentinel: a business backend sends messages without a pause while the master is killed
 * (SIGKILL), the sentinels promote the replica and the old master comes back as a replica. With
 * {@code waitReplicas: 1} on ImClient and on the node, every send that returned normally is delivered, exactly
 * once: nothing acknowledged by the old master only is reported as sent.
 */
class SentinelFailoverNoLossIntegrationTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisSentinelExtension SENTINEL = new RedisSentinelExtension();

    private static DropwizardAppExtension<ImServiceConfiguration> node;
    private static ImClient client;

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
                ConfigOverride.config("redis.sentinel.nodes", String.join(",", SENTINEL.sentinelNodes())),
                ConfigOverride.config("redis.sentinel.waitReplicas", "1"),
                ConfigOverride.config("redis.sentinel.waitTimeout", "200ms"));
        node.before();
        client = ImClient.create(ImClientOptions.builder()
                .redisSentinel(RedisSentinelExtension.MASTER_NAME, SENTINEL.sentinelNodes())
                .waitReplicas(1, Duration.ofMillis(200))
                .servers(List.of(self))
                .connectTimeout(CLIENT_TIMEOUT)
                .socketTimeout(CLIENT_TIMEOUT)
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
    void everySendThatReturnedIsDeliveredOnceAcrossAFailover() throws Exception {
        String bob = UniqueIds.of("bob");
        try (TestTerminal bobTerminal = TestTerminal.connectReady(client.prevConnectServer(bob, ""))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> client.hasOnline(bob));
            ConcurrentLinkedQueue<String> returned = new ConcurrentLinkedQueue<>();
            AtomicInteger threw = new AtomicInteger();
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
                                threw.incrementAndGet();
                            }
                        }
                    },
                    "sender");
            sender.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> returned.size() >= 200);

            HostAndPort old = SENTINEL.killMaster();
            SENTINEL.awaitFailover(old);
            SENTINEL.restart(old);
            int atFailover = returned.size();
            await("sends acknowledged by the new master's replica")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> returned.size() >= atFailover + 200);
            sending.set(false);
            sender.join(10_000);

            List<String> sent = new ArrayList<>(returned);
            await("every send that returned delivered")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> delivered(bobTerminal).keySet().containsAll(sent));
            Map<String, Integer> delivered = delivered(bobTerminal);
            assertThat(delivered.values()).as("each message once").allMatch(count -> count == 1);
            assertThat(threw.get()).as("sends refused during the failover").isGreaterThan(0);
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
