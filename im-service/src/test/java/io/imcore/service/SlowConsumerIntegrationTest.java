package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.RawWebSocket;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * A terminal that stops reading fills its bounded outbound queue (64 frames here) and is closed as a slow
 * consumer (4000), counted in {@code im.connections.slow}, published offline with reason {@code slow}; its
 * socket is dropped {@code websocket.closeTimeout} later. Meanwhile the node's other terminals get every
 * message, and their delivery latency is measured before and while the slow one fills up.
 */
class SlowConsumerIntegrationTest {
    static final int MAX_QUEUED_FRAMES = 64;
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    static final String PAYLOAD = "x".repeat(4000);
    /** More than the socket buffers of a stalled loopback connection hold (up to 4 MiB send + receive). */
    static final int MAX_MESSAGES = 5000;

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("websocket.maxQueuedFrames", Integer.toString(MAX_QUEUED_FRAMES))
            .override("websocket.maxQueuedBytes", "64MiB")
            .override("websocket.closeTimeout", CLOSE_TIMEOUT.toMillis() + "ms");

    /**
     * Broadcasts at least {@code atLeast} messages, one every 0.2 ms at most, then goes on until {@code done}
     * says so (asked every 50 messages) or {@link #MAX_MESSAGES} went out; returns their ids.
     */
    private static List<String> broadcastUntil(java.util.function.BooleanSupplier done, int atLeast) {
        List<String> ids = new ArrayList<>();
        while (ids.size() < MAX_MESSAGES && (ids.size() < atLeast || ids.size() % 50 != 0 || !done.getAsBoolean())) {
            ids.add(CLUSTER.client().sendBroadcastMessage(PAYLOAD));
            LockSupport.parkNanos(200_000);
        }
        return ids;
    }

    /** The {@code id} of a msg frame without parsing all of it (the data is large). */
    private static String idOf(String frame) {
        int start = frame.indexOf("\"id\":\"");
        return start < 0 ? "" : frame.substring(start + 6, frame.indexOf('"', start + 6));
    }

    /** Delivery latencies (arrival − publisher ts, ms) of the messages {@code ids} at {@code terminal}, sorted. */
    private static List<Long> latencies(TestTerminal terminal, List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        List<Long> latencies = new ArrayList<>();
        for (TestTerminal.Arrival arrival : terminal.arrivals()) {
            if (wanted.contains(idOf(arrival.frame()))) {
                latencies.add(
                        arrival.atMillis() - parse(arrival.frame()).path("ts").asLong());
            }
        }
        latencies.sort(Long::compare);
        return latencies;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private static void awaitAll(TestTerminal terminal, List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> terminal.arrivals().stream()
                                .map(a -> idOf(a.frame()))
                                .filter(wanted::contains)
                                .distinct()
                                .count()
                        == wanted.size());
    }

    @Test
    void aTerminalThatStopsReadingIsClosedAsSlowWhileTheOthersKeepReceivingEverything() throws Exception {
        String slowId = UniqueIds.of("slow");
        List<TestTerminal> fast = new ArrayList<>();
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client());
                RedisClient redis = CLUSTER.redisServer().newJedis()) {
            for (int i = 0; i < 3; i++) {
                fast.add(CLUSTER.connect(UniqueIds.of("fast"), ""));
            }
            List<String> baseline = broadcastUntil(() -> true, 500);
            fast.forEach(terminal -> awaitAll(terminal, baseline));

            long slowBefore = CLUSTER.admin().counter("im.connections.slow");
            try (RawWebSocket slow = RawWebSocket.open(CLUSTER.client().prevConnectServer(slowId, ""), 4096)) {
                assertThat(slow.status()).isEqualTo(101);
                events.awaitFirst(PresenceEvent.ONLINE, slowId);
                List<String> during =
                        broadcastUntil(() -> CLUSTER.admin().counter("im.connections.slow") > slowBefore, 500);

                assertThat(CLUSTER.admin().counter("im.connections.slow"))
                        .as("slow consumers after %d messages", during.size())
                        .isEqualTo(slowBefore + 1);
                fast.forEach(terminal -> awaitAll(terminal, during));
                for (TestTerminal terminal : fast) {
                    List<Long> before = latencies(terminal, baseline);
                    List<Long> after = latencies(terminal, during);
                    System.out.printf(
                            "latency ms, %d msgs without a slow consumer: p50 %d p99 %d max %d;"
                                    + " %d msgs while one filled up: p50 %d p99 %d max %d%n",
                            before.size(),
                            percentile(before, 0.5),
                            percentile(before, 0.99),
                            before.get(before.size() - 1),
                            after.size(),
                            percentile(after, 0.5),
                            percentile(after, 0.99),
                            after.get(after.size() - 1));
                    // loose on purpose: a busy 2-core machine; a stalled writer would add seconds, not ms
                    assertThat(percentile(after, 0.5)).isLessThan(Math.max(1000, 10 * percentile(before, 0.5)));
                    assertThat(terminal.isOpen()).isTrue();
                }

                PresenceEvent offline = events.awaitFirst(PresenceEvent.OFFLINE, slowId);
                assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_SLOW);
                assertThat(redis.hexists("im:node:" + CLUSTER.entry(0) + ":online", slowId))
                        .isFalse();
                await("the stalled socket dropped")
                        .atMost(CLOSE_TIMEOUT.plusSeconds(10))
                        .until(slow::isDroppedByPeer);
            }
            String after = CLUSTER.client().sendBroadcastMessage("after");
            fast.forEach(terminal -> awaitAll(terminal, List.of(after)));
        } finally {
            fast.forEach(TestTerminal::close);
        }
    }

    @Test
    void aSlowTerminalThatReadsAgainFindsTheSlowConsumerCloseCode() throws IOException {
        String slowId = UniqueIds.of("sleepy");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client());
                RawWebSocket sleepy = RawWebSocket.open(CLUSTER.client().prevConnectServer(slowId, ""), 4096)) {
            events.awaitFirst(PresenceEvent.ONLINE, slowId);
            long slowBefore = CLUSTER.admin().counter("im.connections.slow");
            broadcastUntil(() -> CLUSTER.admin().counter("im.connections.slow") > slowBefore, 500);

            // reads what was queued before the limit, then the close frame
            assertThat(sleepy.drainUntilClose(Duration.ofSeconds(10))).isEqualTo(CloseCodes.SLOW_CONSUMER_FRAMES);
            assertThat(events.awaitFirst(PresenceEvent.OFFLINE, slowId).reason())
                    .isEqualTo(PresenceEvent.REASON_SLOW);
        }
    }

    private static JsonNode parse(String frame) {
        try {
            return Codec.mapper().readTree(frame);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }
}
