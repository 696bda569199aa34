package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.redis.Streams;
import io.imcore.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

/** Group commit and async sends against a real Redis that persists every write, stopped and started by tests. */
class ImClientGroupCommitIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.withAppendOnlyFile();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE_0 = "127.0.0.1:6001";
    private static final String NODE_1 = "127.0.0.1:6002";
    // no node alive: homes from the allow-list, "2" on NODE_0, "1" on NODE_1
    private static final List<String> BOTH_NODES = List.of("1", "2");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Thread> threads = new ArrayList<>();
    private ImClient client;

    @BeforeEach
    void setUp() {
        startRedis();
        REDIS.flushAll();
        client = ImClient.create(ImClientOptions.builder()
                .redisUri(REDIS.uri())
                .servers(List.of(NODE_0, NODE_1))
                .membershipRefresh(Duration.ofMinutes(10)) // routing read once: the sends alone touch Redis
                .connectTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .maxConnections(8)
                .build());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(WAIT.toMillis());
        }
        client.close();
        startRedis();
    }

    /** Starts Redis and waits until it has loaded its append-only file (it answers LOADING until then). */
    private static void startRedis() {
        REDIS.start();
        await().atMost(WAIT).ignoreException(JedisDataException.class).until(() -> {
            try (RedisClient redis = REDIS.newJedis()) {
                return redis.dbSize() >= 0;
            }
        });
    }

    private void startAll(int count, Runnable body) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(body, "sender-" + i);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void joinAll() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
            assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
        }
    }

    /** The {@code data} of every entry of {@code NODE}'s inbox, in stream order. */
    private static List<String> inbox(String node) throws Exception {
        List<String> data = new ArrayList<>();
        try (RedisClient redis = REDIS.newJedis()) {
            List<StreamEntry> entries = redis.xrange("im:node:" + node, (StreamEntryID) null, null);
            for (StreamEntry entry : entries) {
                data.add(JSON.readTree(entry.getFields().get(Streams.FIELD))
                        .get("data")
                        .asText());
            }
        }
        return data;
    }

    /** Asserts each of {@code expected} (sender → its messages in order) is in {@code actual} once, in order. */
    private static void assertOncePerSenderInOrder(List<String> actual, Map<String, List<String>> expected) {
        Map<String, List<String>> bySender = new HashMap<>();
        for (String data : actual) {
            bySender.computeIfAbsent(data.substring(0, data.lastIndexOf('-')), s -> new ArrayList<>())
                    .add(data);
        }
        assertThat(bySender).isEqualTo(expected);
    }

    @Test
    void manyThreadsSendingAtOnceGetEveryMessageIntoEachInboxOnceInOrderPerThread() throws Exception {
        int senders = 16;
        int perSender = 300;
        Map<String, List<String>> expected = new ConcurrentHashMap<>();
        CyclicBarrier go = new CyclicBarrier(senders);
        startAll(senders, () -> {
            String name = Thread.currentThread().getName();
            List<String> mine = new ArrayList<>();
            try {
                go.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < perSender; i++) {
                String data = name + "-" + i;
                client.sendMessage("", BOTH_NODES, data, false);
                mine.add(data);
            }
            expected.put(name, mine);
        });
        joinAll();

        assertThat(expected).hasSize(senders);
        assertOncePerSenderInOrder(inbox(NODE_0), expected);
        assertOncePerSenderInOrder(inbox(NODE_1), expected);
    }

    @Test
    void asyncSendsCompleteWithTheirIdsAndArriveOnceInOrder() throws Exception {
        int senders = 4;
        int perSender = 2_000;
        Map<String, List<String>> expected = new ConcurrentHashMap<>();
        List<String> ids = new CopyOnWriteArrayList<>();
        startAll(senders, () -> {
            String name = Thread.currentThread().getName();
            List<String> mine = new ArrayList<>();
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < perSender; i++) {
                String data = name + "-" + i;
                futures.add(client.sendMessageAsync("", BOTH_NODES, data, false));
                mine.add(data);
            }
            for (CompletableFuture<String> future : futures) {
                ids.add(future.orTimeout(60, TimeUnit.SECONDS).join());
            }
            expected.put(name, mine);
        });
        joinAll();

        assertThat(expected).hasSize(senders);
        assertThat(ids).hasSize(senders * perSender).doesNotHaveDuplicates();
        assertOncePerSenderInOrder(inbox(NODE_0), expected);
        assertOncePerSenderInOrder(inbox(NODE_1), expected);
    }

    @Test
    void everyCallerGetsAnExceptionWhileRedisIsDown() throws Exception {
        client.sendMessage("", BOTH_NODES, "warm-0", false); // reads the routing while Redis is up
        REDIS.stop();
        int senders = 8;
        CyclicBarrier go = new CyclicBarrier(senders);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        AtomicBoolean anyReturned = new AtomicBoolean();
        startAll(senders, () -> {
            try {
                go.await();
                client.sendMessage("", BOTH_NODES, "down-0", false);
                anyReturned.set(true);
            } catch (RuntimeException e) {
                thrown.add(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        joinAll();
        CompletableFuture<String> async = client.sendMessageAsync("", BOTH_NODES, "down-1", false);

        assertThat(anyReturned).isFalse();
        assertThat(thrown).hasSize(senders).allMatch(e -> e instanceof ImConnectionException);
        assertThat(async)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(ImConnectionException.class);
        startRedis();
        assertThat(client.sendMessageAsync("", BOTH_NODES, "up-0", false)).succeedsWithin(WAIT);
        client.sendMessage("", BOTH_NODES, "up-1", false);
        assertThat(inbox(NODE_0)).containsExactly("warm-0", "up-0", "up-1");
    }

    @Test
    void everyMessageWhoseSendReturnedSurvivesRedisStoppingMidStream() throws Exception {
        int senders = 8;
        Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        startAll(senders, () -> {
            String name = Thread.currentThread().getName();
            List<String> mine = new CopyOnWriteArrayList<>();
            acknowledged.put(name, mine);
            for (int i = 0; !stop.get(); i++) {
                String data = name + "-" + i;
                try {
                    client.sendMessage("", BOTH_NODES, data, false);
                    mine.add(data);
                } catch (ImException e) { // ImConnectionException, or LOADING while Redis restarts
                    failures.merge(name, 1, Integer::sum);
                }
            }
        });
        await().atMost(WAIT)
                .until(() -> acknowledged.size() == senders
                        && acknowledged.values().stream().allMatch(m -> m.size() >= 50));

        REDIS.stop();
        await().atMost(WAIT).until(() -> failures.size() == senders);
        startRedis();
        stop.set(true);
        joinAll();

        // a send that threw may still have been written (the answer was lost): only those that returned count
        for (String node : List.of(NODE_0, NODE_1)) {
            List<String> stored = inbox(node);
            assertThat(stored).doesNotHaveDuplicates();
            Map<String, List<String>> bySender = new HashMap<>();
            for (String data : stored) {
                bySender.computeIfAbsent(data.substring(0, data.lastIndexOf('-')), s -> new ArrayList<>())
                        .add(data);
            }
            acknowledged.forEach((sender, mine) -> {
                List<String> storedOfSender = bySender.getOrDefault(sender, List.of());
                assertThat(storedOfSender).containsAll(mine);
                assertThat(storedOfSender)
                        .as("in order")
                        .isSortedAccordingTo((a, b) -> Integer.compare(
                                Integer.parseInt(a.substring(a.lastIndexOf('-') + 1)),
                                Integer.parseInt(b.substring(b.lastIndexOf('-') + 1))));
            });
        }
    }

    @Test
    void badArgumentsAreRejectedAtOnceBeforeAnythingIsWritten() throws Exception {
        assertThatThrownBy(() -> client.sendMessageAsync("9", List.of("1", "bad\tid"), "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessageAsync("9", Arrays.asList("1", null), "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessageAsync(null, List.of("1"), "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessageAsync("9", null, "x"))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessageAsync("9", List.of("1"), new Object(), false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThat(client.sendMessageAsync("9", List.of(), "nobody", false)).succeedsWithin(WAIT);

        try (RedisClient redis = REDIS.newJedis()) {
            assertThat(redis.keys("im:node:*")).isEmpty();
        }
    }

    @Test
    void closingTheClientRefusesFurtherSends() {
        client.close();

        assertThatThrownBy(() -> client.sendMessageAsync("", List.of("1"), "x", false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.sendMessage("", List.of("1"), "x", false))
                .isInstanceOf(IllegalStateException.class);
    }
}
