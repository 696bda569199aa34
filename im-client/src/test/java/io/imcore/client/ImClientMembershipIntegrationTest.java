package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.Codec;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import io.imcore.redis.MembershipView;
import io.imcore.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** ImClient routes by the live members it reads from Redis, and follows them without a restart. */
class ImClientMembershipIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String A = "10.0.0.1:6001";
    private static final String B = "10.0.0.2:6001";
    private static final String C = "10.0.0.3:6001";

    private RedisClient redis;
    private ImClient client;

    @BeforeEach
    void setUp() {
        REDIS.start();
        REDIS.flushAll();
        redis = REDIS.newJedis();
        client = ImClient.create(ImClientOptions.builder()
                .redisUri(REDIS.uri())
                .membershipRefresh(Duration.ofMillis(200))
                .build());
    }

    @AfterEach
    void tearDown() {
        client.close();
        redis.close();
    }

    private void alive(String entry, String allow) {
        long now = System.currentTimeMillis();
        redis.hset("im:nodes", entry, Codec.encode(new NodeLease(now, now, 0, Rendezvous.NAME, allow, false)));
    }

    private static String host(String url) {
        return url.substring("ws://".length(), url.indexOf("/ws"));
    }

    @Test
    void withoutAnyLiveNodeOrAllowListThereIsNowhereToRoute() {
        assertThatThrownBy(() -> client.prevConnectServer("42"))
                .isInstanceOf(ImException.class)
                .hasMessageContaining("no im-service node is alive");
    }

    @Test
    void prevConnectServerFollowsTheMembersWithoutARestart() {
        alive(A, "");
        alive(B, "");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> client.membership().members().equals(List.of(A, B)));
        assertThat(host(client.prevConnectServer("42"))).isEqualTo(Rendezvous.home("42", List.of(A, B)));

        alive(C, "");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> client.membership().members().size() == 3);
        for (int i = 0; i < 50; i++) {
            String id = "u" + i;
            assertThat(host(client.prevConnectServer(id))).isEqualTo(Rendezvous.home(id, List.of(A, B, C)));
        }

        redis.hdel("im:nodes", B);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> client.membership().members().equals(List.of(A, C)));
        assertThat(host(client.prevConnectServer("42"))).isEqualTo(Rendezvous.home("42", List.of(A, C)));
        assertThat(client.membership().conflicts()).isEmpty();
    }

    @Test
    void sendMessageWritesOneEnvelopePerHome() {
        alive(A, "");
        alive(B, "");
        List<String> receivers = List.of("1", "2", "3", "4", "5", "6");
        client.sendMessage("", receivers, "hi");
        long toA = receivers.stream()
                .filter(id -> Rendezvous.home(id, List.of(A, B)).equals(A))
                .count();
        assertThat(redis.xlen("im:node:" + A) + redis.xlen("im:node:" + B)).isEqualTo(toA == 0 || toA == 6 ? 1 : 2);
    }

    @Test
    void membersThatDisagreeOnTheAllowListAreAConflict() {
        alive(A, MembershipView.allowHash(List.of(A, B)));
        alive(B, "");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> !client.membership().conflicts().isEmpty());
        assertThat(client.membership().conflicts()).singleElement().asString().contains(B);
    }
}
