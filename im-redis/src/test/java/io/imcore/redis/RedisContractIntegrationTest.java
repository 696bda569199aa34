package io.imcore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Servers;
import io.imcore.redis.ClusterReader.OnlineClient;
import io.imcore.testkit.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The Redis contract against a real redis-server: the leave script under a non-default prefix (every key from
 * {@link Keys}), the online reading of PROTOCOL.md section 4, and the subscription loop coming back after its
 * connection was killed.
 */
class RedisContractIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final Keys KEYS = new Keys("t:");
    static final String NODE_1 = "127.0.0.1:7001";
    static final String NODE_2 = "127.0.0.1:7002";
    static final Servers SERVERS = Servers.of(List.of(NODE_1, NODE_2));
    static final Duration LEASE = Duration.ofSeconds(15);
    static final long NOW = 1_700_000_000_000L;

    RedisClient redis;
    RedisConnections connections;

    @BeforeEach
    void connect() {
        REDIS.flushAll();
        redis = REDIS.newJedis();
        connections = new RedisConnections(RedisAddress.parse("redisUri", REDIS.uri()), "im-redis-test",
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void leavingAChannelRemovesTheMembershipKeepsTheChannelForOthersAndPublishes() throws Exception {
        join("ann", "lobby");
        join("bob", "lobby");
        join("ann", "news");
        List<String> received = new CopyOnWriteArrayList<>();
        try (SubscriptionLoop inbox = loop(List.of("t:node:" + NODE_1), (channel, message) -> received.add(message))) {
            inbox.start();
            assertThat(inbox.awaitSubscribed(Duration.ofSeconds(5))).isTrue();

            Scripts.leaveChannels(redis, KEYS, "ann", List.of("lobby"), KEYS.inbox(NODE_1), "left");

            assertThat(redis.hkeys("t:chan:lobby")).containsExactly("bob");
            assertThat(redis.smembers("t:client:ann:chans")).containsExactly("news");
            assertThat(redis.smembers("t:chans")).containsExactlyInAnyOrder("lobby", "news");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("left"));
        }

        Scripts.leaveChannels(redis, KEYS, "bob", List.of("lobby"), "", "");
        assertThat(redis.exists("t:chan:lobby")).isFalse();
        assertThat(redis.exists("t:client:bob:chans")).isFalse();
        assertThat(redis.smembers("t:chans")).containsExactly("news");
    }

    @Test
    void leavingAllChannelsEmptiesTheClientsSetAndDropsChannelsLeftWithoutMembers() {
        join("ann", "lobby");
        join("ann", "news");
        join("bob", "news");

        Scripts.leaveAllChannels(redis, KEYS, "ann");

        assertThat(redis.exists("t:client:ann:chans")).isFalse();
        assertThat(redis.exists("t:chan:lobby")).isFalse();
        assertThat(redis.hkeys("t:chan:news")).containsExactly("bob");
        assertThat(redis.smembers("t:chans")).containsExactly("news");
        Scripts.leaveAllChannels(redis, KEYS, "nobody"); // nothing to leave: no error
    }

    @Test
    void aSweepClaimIsReleasedOnlyByItsHolder() {
        redis.set(KEYS.sweep(NODE_2), NODE_1);

        Scripts.releaseSweepClaim(redis, KEYS, NODE_2, "someone-else");
        assertThat(redis.get("t:sweep:" + NODE_2)).isEqualTo(NODE_1);
        Scripts.releaseSweepClaim(redis, KEYS, NODE_2, NODE_1);
        assertThat(redis.exists("t:sweep:" + NODE_2)).isFalse();
    }

    @Test
    void aClientIsOnlineWhenItsPartitionNodeIsAliveAndCountsItAboveZero() {
        String onNode1 = clientOf(NODE_1, 0);
        String idleOnNode1 = clientOf(NODE_1, 1);
        String onNode2 = clientOf(NODE_2, 0);
        redis.hset("t:nodes", NODE_1, Codec.encode(new NodeLease(NOW - 60_000, NOW - 1_000, 2)));
        redis.hset("t:nodes", NODE_2, Codec.encode(new NodeLease(NOW - 60_000, NOW - 20_000, 1))); // dead
        redis.hset("t:node:" + NODE_1 + ":online", Map.of(onNode1, "2", idleOnNode1, "0", "junk", "x"));
        redis.hset("t:node:" + NODE_2 + ":online", onNode2, "1");
        ClusterReader reader = reader();

        assertThat(reader.aliveNodes()).containsExactly(NODE_1);
        assertThat(reader.allOnline()).containsExactly(onNode1);
        assertThat(reader.onlineAmong(List.of(onNode1, idleOnNode1, onNode2, "stranger"))).containsExactly(onNode1);
        assertThat(reader.onlineClients(List.of(NODE_1, NODE_2)))
                .containsExactly(new OnlineClient(onNode1, NODE_1, 2));
        assertThat(reader.connections(onNode1)).isEqualTo(2);
        assertThat(reader.connections(idleOnNode1)).isZero();
        assertThat(reader.connections(onNode2)).as("its node is dead").isZero();
    }

    @Test
    void aLeaseThatDoesNotDecodeCountsAsDead() {
        String onNode1 = clientOf(NODE_1, 0);
        redis.hset("t:nodes", NODE_1, "{not json");
        redis.hset("t:node:" + NODE_1 + ":online", onNode1, "1");
        ClusterReader reader = reader();

        assertThat(reader.leases()).containsEntry(NODE_1, new NodeLease(0, 0, 0));
        assertThat(reader.aliveNodes()).isEmpty();
        assertThat(reader.allOnline()).isEmpty();
        assertThat(reader.connections(onNode1)).isZero();
    }

    @Test
    void theLoopSubscribesAgainAfterItsConnectionIsKilledAndStopsCleanly() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        List<Boolean> subscribed = new CopyOnWriteArrayList<>();
        AtomicInteger retries = new AtomicInteger();
        SubscriptionLoop loop = loop(List.of("t:events", "t:broadcast"), new SubscriptionLoop.Handler() {
            @Override
            public void onMessage(String channel, String message) {
                if (message.equals("boom")) {
                    throw new IllegalStateException("a handler that throws");
                }
                received.add(channel + " " + message);
            }

            @Override
            public void onSubscribed(boolean again) {
                subscribed.add(again);
            }

            @Override
            public void onRetry() {
                retries.incrementAndGet();
            }
        });
        assertThat(loop.state()).isEqualTo(SubscriptionState.STARTING);
        loop.start();
        assertThat(loop.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
        redis.publish("t:events", "boom");
        redis.publish("t:events", "one");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("t:events one"));

        try (Jedis admin = new Jedis(REDIS.host(), REDIS.port())) {
            assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB))).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.subscriptions() == 2 && loop.isSubscribed());
        assertThat(subscribed).containsExactly(false, true);
        assertThat(retries).hasValue(1);
        assertThat(loop.lastError()).isNotEmpty();
        redis.publish("t:broadcast", "two");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("t:broadcast two"));

        loop.close();
        assertThat(loop.state()).isEqualTo(SubscriptionState.STOPPED);
        assertThat(loop.awaitSubscribed(Duration.ofMillis(1))).isFalse();
        try (Jedis admin = new Jedis(REDIS.host(), REDIS.port())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.pubsubNumSub("t:events").get("t:events") == 0);
        }
        loop.close(); // idempotent
    }

    @Test
    void theLoopKeepsTryingWhileRedisCannotBeReachedAndSaysWhy() throws Exception {
        RedisConnections nowhere = new RedisConnections(RedisAddress.parse("redisUri", "redis://127.0.0.1:1"),
                "im-redis-test", Duration.ofMillis(200), Duration.ofMillis(200));
        AtomicInteger retries = new AtomicInteger();
        try (SubscriptionLoop loop = new SubscriptionLoop("test-nowhere", List.of("t:events"),
                nowhere::newSubscriberConnection, new SubscriptionLoop.Handler() {
                    @Override
                    public void onMessage(String channel, String message) {
                    }

                    @Override
                    public void onRetry() {
                        retries.incrementAndGet();
                    }
                }, new SubscriptionLoop.Timing(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2)))) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> retries.get() >= 3);
            assertThat(loop.state()).isEqualTo(SubscriptionState.RECONNECTING);
            assertThat(loop.lastError()).contains("JedisConnectionException");
            assertThat(loop.isSubscribed()).isFalse();
        }
    }

    private SubscriptionLoop loop(List<String> channels, SubscriptionLoop.Handler handler) {
        return new SubscriptionLoop("test-subscriber", channels, connections::newSubscriberConnection, handler,
                new SubscriptionLoop.Timing(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(3)));
    }

    private ClusterReader reader() {
        return new ClusterReader(redis, KEYS, SERVERS, LEASE, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    private void join(String clientId, String chan) {
        redis.hset(KEYS.chan(chan), clientId, "1");
        redis.sadd(KEYS.clientChans(clientId), chan);
        redis.sadd(KEYS.chans(), chan);
    }

    /** The {@code n}th client id (0-based) whose partition node is {@code entry}. */
    private static String clientOf(String entry, int n) {
        return IntStream.range(0, 1000).mapToObj(i -> "user" + i).filter(id -> SERVERS.entryFor(id).equals(entry))
                .skip(n).findFirst().orElseThrow();
    }
}
