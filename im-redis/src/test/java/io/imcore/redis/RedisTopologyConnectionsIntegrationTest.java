package io.imcore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.testkit.RedisClusterExtension;
import io.imcore.testkit.RedisSentinelExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** {@link RedisConnections} on real topologies: the pooled client, the dedicated connections, the WAIT knob. */
class RedisTopologyConnectionsIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Nested
    class OnSentinel {
        @RegisterExtension
        static final RedisSentinelExtension SENTINEL = new RedisSentinelExtension();

        @Test
        void clientAndReaderFollowTheMasterThroughAFailoverAndWaitSeesTheReplica() {
            RedisConnections connections = new RedisConnections(
                    RedisSentinelSettings.of(
                            "redis.sentinel",
                            RedisSentinelExtension.MASTER_NAME,
                            SENTINEL.sentinelNodes(),
                            null,
                            null,
                            0,
                            false,
                            null,
                            null),
                    "test",
                    TIMEOUT,
                    TIMEOUT);
            ReplicaAck ack = new ReplicaAck(1, Duration.ofSeconds(1));
            try (UnifiedJedis redis = connections.newClient(4, TIMEOUT)) {
                try (AbstractPipeline pipeline = redis.pipelined()) {
                    pipeline.set("k", "v");
                    Response<Long> acked = ack.append(pipeline, "k");
                    pipeline.sync();
                    assertThat(ack.satisfied(acked)).isTrue();
                }
                try (Jedis reader = connections.newReaderConnection("k")) {
                    assertThat(reader.get("k")).isEqualTo("v");
                }

                HostAndPort old = SENTINEL.killMaster();
                HostAndPort promoted = SENTINEL.awaitFailover(old);

                await().atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(redis.set("k", "after")).isEqualTo("OK"));
                try (Jedis reader = connections.newReaderConnection("k")) {
                    assertThat(reader.getClient().getHostAndPort()).isEqualTo(promoted);
                    assertThat(reader.get("k")).isEqualTo("after");
                }
                try (AbstractPipeline pipeline = redis.pipelined()) { // no replica left: WAIT says so
                    pipeline.set("k", "alone");
                    Response<Long> acked = new ReplicaAck(1, Duration.ofMillis(50)).append(pipeline, "k");
                    pipeline.sync();
                    assertThat(ack.satisfied(acked)).isFalse();
                }
            }
        }
    }

    @Nested
    class OnCluster {
        @RegisterExtension
        static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

        @Test
        void clientSpreadsKeysAndAReaderGoesToTheMasterOfItsKey() {
            RedisConnections connections = new RedisConnections(
                    RedisClusterSettings.of("redis.cluster", CLUSTER.nodes(), null, null, false),
                    "test",
                    TIMEOUT,
                    TIMEOUT);
            try (UnifiedJedis redis = connections.newClient(4, TIMEOUT)) {
                for (String key : List.of("im:node:a", "im:node:b", "im:node:c", "im:broadcast", "im:events")) {
                    redis.set(key, key);
                    try (Jedis reader = connections.newReaderConnection(key)) {
                        assertThat(reader.getClient().getHostAndPort()).isEqualTo(CLUSTER.masterOf(key));
                        assertThat(reader.get(key)).isEqualTo(key);
                    }
                }
            }
        }
    }
}
