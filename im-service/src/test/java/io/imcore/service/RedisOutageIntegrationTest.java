package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.imcore.client.ImClient;
import io.imcore.service.support.TestNodes;
import io.imcore.service.support.TestTerminal;
import io.imcore.testkit.RedisExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** Redis restarts empty under a connected terminal: the node repairs its state and keeps delivering. */
class RedisOutageIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static final TestNodes CLUSTER = TestNodes.ofSize(1);

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ImServiceConfiguration> NODE = CLUSTER.node(0, REDIS);

    static ImClient client;
    static RedisClient redis;

    @BeforeAll
    static void clients() {
        client = CLUSTER.client(REDIS);
        redis = REDIS.newJedis();
    }

    @AfterAll
    static void close() {
        client.close();
        redis.close();
    }

    @Test
    void nodeReassertsItsStateAndDeliversAfterRedisRestartsEmpty() throws Exception {
        String self = CLUSTER.entry(0);
        try (TestTerminal carol = TestTerminal.connectReady(client.prevConnectServer("carol", ""))) {
            client.joinChan("carol", "room");
            client.sendChanMessage("", "room", "before");
            assertThat(carol.next("chan").path("data").asText()).isEqualTo("before");

            REDIS.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> healthcheckStatus() == 500);
            REDIS.start();

            // the first command on a pooled connection from before the restart may fail: retry it
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                assertThat(redis.hget("im:node:" + self + ":online", "carol")).isEqualTo("1");
                assertThat(redis.hexists("im:chan:room", "carol")).isTrue();
                assertThat(redis.sismember("im:client:carol:chans", "room")).isTrue();
                assertThat(redis.sismember("im:chans", "room")).isTrue();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> healthcheckStatus() == 200);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(client.hasOnline("carol")).isTrue());
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(client.getChanOnline("room")).isEqualTo(1));

            String id = client.sendMessage("", List.of("carol"), "after", false);
            assertThat(carol.next("msg").path("id").asText()).isEqualTo(id);
            client.sendChanMessage("", "room", "after-chan");
            assertThat(carol.next("chan").path("data").asText()).isEqualTo("after-chan");
        }
    }

    private static int healthcheckStatus() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NODE.getAdminPort() + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
