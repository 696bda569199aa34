package io.imcore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.XAddParams;

/**
 * The Redis contract against a real redis-server: the leave script under a non-default prefix (every key from
 * {@link Keys}), the online reading of PROTOCOL.md section 4, and the stream reader coming back after its
 * connection was killed, from where it was.
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
        connections = new RedisConnections(
                RedisAddress.parse("redisUri", REDIS.uri()),
                "im-redis-test",
                Duration.ofSeconds(1),
                Duration.ofSeconds(1));
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
        Memberships.leave(redis, KEYS, "ann", List.of("lobby"), KEYS.inbox(NODE_1), 1000, "left");

        assertThat(redis.hkeys("t:chan:lobby")).containsExactly("bob");
        assertThat(redis.smembers("t:client:ann:chans")).containsExactly("news");
        assertThat(redis.smembers("t:chans")).containsExactlyInAnyOrder("lobby", "news");
        assertThat(redis.xrange(KEYS.inbox(NODE_1), "-", "+"))
                .singleElement()
                .satisfies(entry -> assertThat(entry.getFields()).isEqualTo(Map.of("e", "left")));

        Memberships.leave(redis, KEYS, "bob", List.of("lobby"), null, 0, "");
        assertThat(redis.exists("t:chan:lobby")).isFalse();
        assertThat(redis.exists("t:client:bob:chans")).isFalse();
        assertThat(redis.smembers("t:chans")).containsExactly("news");
    }

    @Test
    void leavingAllChannelsEmptiesTheClientsSetAndDropsChannelsLeftWithoutMembers() {
        join("ann", "lobby");
        join("ann", "news");
        join("bob", "news");

        Memberships.leaveAll(redis, KEYS, "ann");

        assertThat(redis.exists("t:client:ann:chans")).isFalse();
        assertThat(redis.exists("t:chan:lobby")).isFalse();
        assertThat(redis.hkeys("t:chan:news")).containsExactly("bob");
        assertThat(redis.smembers("t:chans")).containsExactly("news");
        Memberships.leaveAll(redis, KEYS, "nobody"); // nothing to leave: no error
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
        ClusterReader reader = clusterReader();

        assertThat(reader.aliveNodes()).containsExactly(NODE_1);
        assertThat(reader.allOnline()).containsExactly(onNode1);
        assertThat(reader.onlineAmong(List.of(onNode1, idleOnNode1, onNode2, "stranger")))
                .containsExactly(onNode1);
        assertThat(reader.onlineClients(List.of(NODE_1, NODE_2))).containsExactly(new OnlineClient(onNode1, NODE_1, 2));
        assertThat(reader.connections(onNode1)).isEqualTo(2);
        assertThat(reader.connections(idleOnNode1)).isZero();
        assertThat(reader.connections(onNode2)).as("its node is dead").isZero();
    }

    @Test
    void aLeaseThatDoesNotDecodeCountsAsDead() {
        String onNode1 = clientOf(NODE_1, 0);
        redis.hset("t:nodes", NODE_1, "{not json");
        redis.hset("t:node:" + NODE_1 + ":online", onNode1, "1");
        ClusterReader reader = clusterReader();

        assertThat(reader.leases()).containsEntry(NODE_1, new NodeLease(0, 0, 0));
        assertThat(reader.aliveNodes()).isEmpty();
        assertThat(reader.allOnline()).isEmpty();
        assertThat(reader.connections(onNode1)).isZero();
    }

    @Test
    void theReaderResumesFromItsPositionsAfterItsConnectionIsKilledAndTrimsWhatItRead() throws Exception {
        redis.xadd("t:broadcast", Streams.addParams(1000), Streams.entry("old")); // before the start: not read
        redis.xadd("t:inbox", Streams.addParams(1000), Streams.entry("waiting")); // an inbox is read from 0-0
        List<String> received = new CopyOnWriteArrayList<>();
        List<Boolean> connected = new CopyOnWriteArrayList<>();
        AtomicInteger retries = new AtomicInteger();
        StreamReader reader = reader(
                List.of(
                        new StreamReader.Feed("t:inbox", StreamReader.Start.BEGINNING, true),
                        new StreamReader.Feed("t:broadcast", StreamReader.Start.END, false)),
                new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {
                        if ("boom".equals(envelope)) {
                            throw new IllegalStateException("a handler that throws");
                        }
                        received.add(feed + " " + envelope);
                    }

                    @Override
                    public void onConnected(boolean again) {
                        connected.add(again);
                    }

                    @Override
                    public void onRetry() {
                        retries.incrementAndGet();
                    }
                });
        assertThat(reader.state()).isEqualTo(StreamReader.ReaderState.STARTING);
        reader.start();
        assertThat(reader.awaitReading(Duration.ofSeconds(5))).isTrue();
        redis.xadd("t:inbox", Streams.addParams(1000), Streams.entry("boom"));
        redis.xadd("t:inbox", Streams.addParams(1000), Map.of("other", "field")); // no e: handed over as null
        redis.xadd("t:broadcast", Streams.addParams(1000), Streams.entry("one"));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("t:broadcast one"));

        killConnectionsNamed("im-redis-test");
        for (int i = 0; i < 100; i++) { // written while it reconnects: none is missed
            redis.xadd("t:inbox", Streams.addParams(1000), Streams.entry("m" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.connects() == 2 && reader.isReading());
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("t:inbox m99"));
        assertThat(connected).containsExactly(false, true);
        assertThat(retries).hasValue(1);
        assertThat(reader.lastError()).isNotEmpty();
        List<String> expected = new java.util.ArrayList<>(List.of("t:inbox waiting", "t:inbox null"));
        IntStream.range(0, 100).forEach(i -> expected.add("t:inbox m" + i));
        assertThat(received.stream().filter(r -> r.startsWith("t:inbox")).toList())
                .isEqualTo(expected);
        assertThat(received).doesNotContain("t:broadcast old");

        reader.close();
        assertThat(reader.state()).isEqualTo(StreamReader.ReaderState.STOPPED);
        assertThat(redis.xlen("t:inbox"))
                .as("the inbox holds only what was not handled")
                .isZero();
        assertThat(redis.xlen("t:broadcast")).isEqualTo(2);
        assertThat(reader.status("t:inbox").entriesRead()).isEqualTo(103);
        reader.close(); // idempotent
    }

    @Test
    void theReaderReportsAGapWhenUnreadEntriesWereTrimmed() throws Exception {
        List<String> gaps = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        StreamReader reader = reader(
                List.of(new StreamReader.Feed("t:events", StreamReader.Start.END, false)), new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void onGap(String feed, StreamEntryID after, StreamEntryID upTo) {
                        gaps.add(feed);
                    }
                });
        try (reader) {
            reader.start();
            assertThat(reader.awaitReading(Duration.ofSeconds(5))).isTrue();
            redis.xadd("t:events", Streams.addParams(10), Streams.entry("first")); // the reader holds on this one
            for (int i = 0; i < 500; i++) {
                redis.xadd("t:events", Streams.addParams(10), Streams.entry("e" + i));
            }
            hold.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !gaps.isEmpty());
            assertThat(gaps).containsOnly("t:events");
            assertThat(reader.status("t:events").gaps()).isEqualTo(gaps.size());
        }
    }

    @Test
    void aLingeringReaderTakesEntriesWrittenOneByOneInFewReadsAndInOrder() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        StreamReader reader = new StreamReader(
                "test-reader",
                List.of(new StreamReader.Feed("t:linger", StreamReader.Start.BEGINNING, true)),
                connections::newReaderConnection,
                new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {
                        received.add(envelope);
                    }

                    @Override
                    public void onBatch(String feed, int entries) {
                        reads.incrementAndGet();
                    }
                },
                new StreamReader.Reading(50, Duration.ofMillis(200), 10_000, StreamReader.Reading.MAX_LINGER),
                new StreamReader.Timing(
                        Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofMillis(100)));
        try (reader) {
            reader.start();
            assertThat(reader.awaitReading(Duration.ofSeconds(5))).isTrue();
            redis.xadd("t:linger", Streams.addParams(10_000), Streams.entry("lone"));
            await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("lone"));
            for (int i = 0; i < 200; i++) { // one round trip each, far less than the linger apart
                redis.xadd("t:linger", Streams.addParams(10_000), Streams.entry("m" + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 201);
            List<String> expected = new java.util.ArrayList<>(List.of("lone"));
            IntStream.range(0, 200).forEach(i -> expected.add("m" + i));
            assertThat(received).isEqualTo(expected);
            assertThat(reads.get())
                    .as("reads for 201 entries written one by one")
                    .isLessThan(100);
        }
        assertThat(redis.xlen("t:linger")).isZero();
    }

    @Test
    void entriesOfSeveralFeedsInOneReadAreHandledByTheMillisecondOfTheirIdsTiesInFeedOrder() throws Exception {
        for (String id : List.of("5-0", "7-0")) {
            redis.xadd("t:first", new XAddParams().id(id), Streams.entry("first " + id));
        }
        for (String id : List.of("4-0", "6-0", "7-0", "7-1")) {
            redis.xadd("t:second", new XAddParams().id(id), Streams.entry("second " + id));
        }
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        try (StreamReader reader = reader(
                List.of(
                        new StreamReader.Feed("t:first", StreamReader.Start.BEGINNING, false),
                        new StreamReader.Feed("t:second", StreamReader.Start.BEGINNING, false)),
                new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {
                        received.add(envelope);
                    }

                    @Override
                    public void onBatch(String feed, int entries) {
                        reads.incrementAndGet();
                    }
                })) {
            reader.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 6);
            assertThat(reads).as("one read, two batches").hasValue(2);
            assertThat(received)
                    .containsExactly("second 4-0", "first 5-0", "second 6-0", "first 7-0", "second 7-0", "second 7-1");
        }
    }

    @Test
    void aLingerIsZeroToTenMilliseconds() {
        assertThat(new StreamReader.Reading(10, Duration.ofMillis(100), 1000).linger())
                .isZero();
        assertThatThrownBy(() -> new StreamReader.Reading(10, Duration.ofMillis(100), 1000, Duration.ofMillis(11)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamReader.Reading(10, Duration.ofMillis(100), 1000, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReaderKeepsTryingWhileRedisCannotBeReachedAndSaysWhy() throws Exception {
        RedisConnections nowhere = new RedisConnections(
                RedisAddress.parse("redisUri", "redis://127.0.0.1:1"),
                "im-redis-test",
                Duration.ofMillis(200),
                Duration.ofMillis(200));
        AtomicInteger retries = new AtomicInteger();
        try (StreamReader reader = new StreamReader(
                "test-nowhere",
                List.of(new StreamReader.Feed("t:events", StreamReader.Start.END, false)),
                nowhere::newReaderConnection,
                new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {}

                    @Override
                    public void onRetry() {
                        retries.incrementAndGet();
                    }
                },
                new StreamReader.Reading(10, Duration.ofMillis(100), 1000),
                new StreamReader.Timing(
                        Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2), Duration.ofSeconds(1)))) {
            reader.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> retries.get() >= 3);
            assertThat(reader.state()).isEqualTo(StreamReader.ReaderState.RECONNECTING);
            assertThat(reader.lastError()).contains("JedisConnectionException");
            assertThat(reader.isReading()).isFalse();
        }
    }

    /** {@code CLIENT KILL ID} of every connection whose name is {@code name}. */
    static void killConnectionsNamed(String name) {
        try (Jedis admin = new Jedis(REDIS.host(), REDIS.port())) {
            admin.clientList()
                    .lines()
                    .filter(line -> line.contains(" name=" + name + " "))
                    .map(line -> line.substring(3, line.indexOf(' ')))
                    .forEach(id ->
                            admin.clientKill(ClientKillParams.clientKillParams().id(id)));
        }
    }

    private StreamReader reader(List<StreamReader.Feed> feeds, StreamReader.Handler handler) {
        return new StreamReader(
                "test-reader",
                feeds,
                connections::newReaderConnection,
                handler,
                new StreamReader.Reading(50, Duration.ofMillis(200), 10),
                new StreamReader.Timing(
                        Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofMillis(100)));
    }

    private ClusterReader clusterReader() {
        return new ClusterReader(redis, KEYS, SERVERS, LEASE, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    private void join(String clientId, String chan) {
        redis.hset(KEYS.chan(chan), clientId, "1");
        redis.sadd(KEYS.clientChans(clientId), chan);
        redis.sadd(KEYS.chans(), chan);
    }

    /** The {@code n}th client id (0-based) whose partition node is {@code entry}. */
    private static String clientOf(String entry, int n) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> "user" + i)
                .filter(id -> SERVERS.entryFor(id).equals(entry))
                .skip(n)
                .findFirst()
                .orElseThrow();
    }
}
