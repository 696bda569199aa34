package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.Tokens;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawHttp;
import io.imcore.service.support.UniqueIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

/**
 * An upgrade that Redis fails is refused with 503 naming the real cause, counted by reason: no pooled connection
 * free within {@code redis.poolWait} ("node is overloaded") while Redis is fine but busy, and "node cannot reach
 * Redis" once Redis is stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRefusalIntegrationTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final NodeCluster CLUSTER =
            NodeCluster.singleNode().override("redis.maxConnections", "2").override("redis.poolWait", "300ms");

    @Test
    @Order(1)
    void upgradesThatFindEveryPooledConnectionBusyPastThePoolWaitAreRefusedAsOverloadNotAsRedisDown() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            urls.add(CLUSTER.client().prevConnectServer(UniqueIds.of("busy" + i), ""));
        }
        // the node's GETDELs wait in Redis for 1.5 s, each holding one of the 2 pooled connections
        CLUSTER.redis().sendCommand(Protocol.Command.CLIENT, "PAUSE", "1500", "WRITE");
        List<CompletableFuture<Answer>> answers =
                urls.stream().map(RedisRefusalIntegrationTest::upgrade).toList();

        List<Answer> overloaded = new ArrayList<>();
        for (CompletableFuture<Answer> answer : answers) {
            Answer a = answer.get(30, TimeUnit.SECONDS);
            if (a.status() == 503 && a.body().startsWith("node is overloaded")) {
                overloaded.add(a);
            }
        }

        assertThat(overloaded).as("upgrades refused as overload").isNotEmpty();
        assertThat(overloaded.get(0).body()).isEqualTo("node is overloaded: no Redis connection free within 300 ms\n");
        assertThat(CLUSTER.admin().metric("im.upgrades.refused.redis-pool-exhausted"))
                .isEqualTo(overloaded.size());
        assertThat(CLUSTER.admin().prometheus())
                .containsEntry("im_upgrades_refused_total{reason=\"redis-pool-exhausted\"}", (double) overloaded.size())
                .containsKey("im_upgrades_refused_total{reason=\"redis-unreachable\"}");
    }

    @Test
    @Order(2)
    void anUpgradeWhileRedisIsStoppedIsRefusedAsRedisUnreachable() {
        double before = CLUSTER.admin().metric("im.upgrades.refused.redis-unreachable");
        CLUSTER.redisServer().stop();
        try {
            HttpResponse<?> refused =
                    RawHttp.refusedUpgrade("ws://" + CLUSTER.entry(0) + "/ws?token=" + Tokens.newToken());

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(body(refused)).isEqualTo("node cannot reach Redis\n");
            assertThat(CLUSTER.admin().metric("im.upgrades.refused.redis-unreachable"))
                    .isEqualTo(before + 1);
            assertThat(CLUSTER.admin().prometheus())
                    .containsEntry("im_upgrades_refused_total{reason=\"redis-unreachable\"}", before + 1);
        } finally {
            CLUSTER.redisServer().start();
        }
    }

    private static String body(HttpResponse<?> response) {
        Object body = response.body();
        return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
    }

    /** The status of an upgrade of {@code url} (101 when accepted, then closed at once) and the refusal's body. */
    record Answer(int status, String body) {}

    private static CompletableFuture<Answer> upgrade(String url) {
        return HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(url), new WebSocket.Listener() {})
                .handle((socket, failure) -> {
                    if (socket != null) {
                        socket.abort();
                        return new Answer(101, "");
                    }
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof WebSocketHandshakeException refused) {
                        return new Answer(refused.getResponse().statusCode(), body(refused.getResponse()));
                    }
                    return new Answer(-1, cause.toString());
                });
    }
}
