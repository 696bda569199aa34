package io.imcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

class RedisSentinelExtensionTest {

    @RegisterExtension
    static final RedisSentinelExtension SENTINEL = new RedisSentinelExtension();

    @Test
    void threeSentinelsNameTheMasterAndKillingItPromotesTheReplica() {
        assertThat(SENTINEL.sentinelNodes()).hasSize(3);
        try (RedisSentinelClient redis = SENTINEL.newClient()) {
            redis.set("testkit:sentinel", "before");
            HostAndPort old = SENTINEL.killMaster();

            HostAndPort promoted = SENTINEL.awaitFailover(old);

            assertThat(promoted).isNotEqualTo(old);
            try (Jedis jedis = new Jedis(promoted)) {
                assertThat(jedis.role().get(0).toString()).isEqualTo("master");
            }
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .untilAsserted(() ->
                            assertThat(redis.set("testkit:sentinel", "after")).isEqualTo("OK"));
            assertThat(redis.get("testkit:sentinel")).isEqualTo("after");

            SENTINEL.restart(old);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                try (Jedis jedis = new Jedis(old)) {
                    assertThat(jedis.info("replication")).contains("master_link_status:up");
                }
            });
        }
    }
}
