package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imcore.client.ImConnectionException;
import io.imcore.client.ImHelper;
import io.imcore.protocol.PresenceEvent;
import io.imcore.redis.Streams;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

/**
 * Redis fails under traffic. Restarted empty: the node stays up, its health checks go unhealthy and healthy
 * again, the subscriber is back within 2 s, the node re-asserts its online hash, {@code nodes} entry and
 * memberships from memory, and every message published after that is delivered; meanwhile ImHelper calls
 * fail fast with {@link ImConnectionException} and leave nothing half-written. Stalled with its data kept: a
 * close the node could not write is written (offline event included) once Redis answers.
 */
class RedisOutageIntegrationTest {
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
    /** Longer than the re-assertion takes, so a fresh {@code nodes} entry shows it was written at once. */
    static final Duration REFRESH = Duration.ofSeconds(7);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("cluster.lease", "15s")
            .override("cluster.refreshInterval", REFRESH.toSeconds() + "s")
            .override("redis.connectTimeout", "500ms")
            .override("redis.socketTimeout", "500ms")
            .override("streams.block", "200ms")
            // Redis restarts here without persistence: the node reports the lost data as a gap, but this test is
            // about the repair, so the gap does not hold the health check down
            .override("streams.gapHealthWindow", "0s")
            .clientOptions(options -> options.connectTimeout(CLIENT_TIMEOUT)
                    .socketTimeout(CLIENT_TIMEOUT)
                    .resubscribeMaxDelay(Duration.ofMillis(200)));

    @BeforeAll
    static void helper() {
        ImHelper.initialization(CLUSTER.clientOptions());
    }

    @AfterAll
    static void close() {
        ImHelper.close();
    }

    /** One attempt of the traffic thread: when it started, how long it took, the message id if it was sent. */
    record Attempt(long startedAt, long tookMillis, String id) {}

    @Test
    void redisRestartingEmptyUnderTrafficIsRepairedFromTheNodesMemoryAndDeliveryResumes() throws Exception {
        String self = CLUSTER.entry(0);
        String carol = UniqueIds.of("carol");
        try (TestTerminal terminal = CLUSTER.connect(carol, "")) {
            CLUSTER.client().joinChan(carol, "room");
            CLUSTER.client().sendChanMessage("", "room", "before");
            assertThat(terminal.next("chan").path("data").asText()).isEqualTo("before");
            assertThat(CLUSTER.admin().healthStatus()).isEqualTo(200);

            List<Attempt> attempts = new CopyOnWriteArrayList<>();
            AtomicBoolean traffic = new AtomicBoolean(true);
            Thread sender = new Thread(
                    () -> {
                        while (traffic.get()) {
                            long start = System.nanoTime();
                            String id = null;
                            try {
                                id = ImHelper.sendMessage("", List.of(carol), "traffic", false);
                            } catch (ImConnectionException expectedDuringTheOutage) {
                                // counted below by its missing id
                            }
                            attempts.add(new Attempt(start, (System.nanoTime() - start) / 1_000_000, id));
                            sleep(20);
                        }
                    },
                    "traffic");
            sender.start();
            sleep(300);

            CLUSTER.redisServer().stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> CLUSTER.admin().healthStatus() == 500);
            assertThat(CLUSTER.admin().isHealthy("redis")).isFalse();
            assertThat(CLUSTER.admin().isHealthy("redis-subscriber")).isFalse();
            assertEveryCallFailsFast(carol);
            sleep(500);

            CLUSTER.redisServer().start();
            long restartedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> CLUSTER.admin().isHealthy("redis-subscriber"));
            long subscribedAt = System.nanoTime();
            await("the lost data reported as a gap")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> CLUSTER.admin().metric("im.streams.inbox.gaps") >= 1);
            System.out.printf("subscriber back %d ms after Redis%n", (subscribedAt - restartedAt) / 1_000_000);
            assertThat(Duration.ofNanos(subscribedAt - restartedAt)).isLessThan(Duration.ofSeconds(2));

            // re-asserted from memory without the terminal reconnecting, the nodes entry included
            await().atMost(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
                assertThat(CLUSTER.redis().hget("im:node:" + self + ":online", carol))
                        .isEqualTo("1");
                assertThat(CLUSTER.redis().hexists("im:nodes", self)).isTrue();
                assertThat(CLUSTER.redis().hexists("im:chan:room", carol)).isTrue();
                assertThat(CLUSTER.redis().sismember("im:client:" + carol + ":chans", "room"))
                        .isTrue();
                assertThat(CLUSTER.redis().sismember("im:chans", "room")).isTrue();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> CLUSTER.admin().healthStatus() == 200);
            await().atMost(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> assertThat(CLUSTER.client().hasOnline(carol)).isTrue());
            assertThat(CLUSTER.client().getChanOnline("room")).isEqualTo(1);
            assertThat(CLUSTER.client().getClientListByOnline()).contains(carol);

            sleep(500);
            traffic.set(false);
            sender.join();
            List<String> afterRecovery = attempts.stream()
                    .filter(a -> a.startedAt() - subscribedAt > 0 && a.id() != null)
                    .map(Attempt::id)
                    .toList();
            assertThat(afterRecovery)
                    .as("messages sent after the subscriber was back")
                    .isNotEmpty();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> terminalIds(terminal).containsAll(afterRecovery));
            long slowest = attempts.stream()
                    .filter(a -> a.id() == null)
                    .mapToLong(Attempt::tookMillis)
                    .max()
                    .orElse(0);
            System.out.printf(
                    "traffic: %d sends, %d failed (slowest failure %d ms), %d after recovery all delivered%n",
                    attempts.size(),
                    attempts.stream().filter(a -> a.id() == null).count(),
                    slowest,
                    afterRecovery.size());
            assertThat(slowest)
                    .as("a failing send takes at most connect + socket timeout")
                    .isLessThan(CLIENT_TIMEOUT.multipliedBy(2).plusSeconds(1).toMillis());

            CLUSTER.client().sendChanMessage("", "room", "after");
            assertThat(terminal.next("chan").path("data").asText()).isEqualTo("after");
            // nothing of the calls that failed during the outage was written
            assertThat(CLUSTER.redis().exists("im:client:outage-dave:chans", "im:chan:outage-room"))
                    .isZero();
            assertThat(CLUSTER.redis().sismember("im:chans", "outage-room")).isFalse();
            assertThat(CLUSTER.redis().keys("im:token:*")).isEmpty();
            assertThat(terminal.history()).noneMatch(frame -> frame.contains("during the outage"));
        }
    }

    /** Every ImHelper call fails with ImConnectionException within connect + socket timeout (plus slack). */
    private static void assertEveryCallFailsFast(String connected) {
        Map<String, ThrowingCallable> calls = Map.of(
                "prevConnectServer", () -> ImHelper.prevConnectServer("outage-dave", ""),
                "sendMessage", () -> ImHelper.sendMessage("", List.of(connected), "during the outage", false),
                "joinChan", () -> ImHelper.joinChan("outage-dave", "outage-room"),
                "leaveChan", () -> ImHelper.leaveChan(connected, "room"),
                "sendChanMessage", () -> ImHelper.sendChanMessage("", "room", "during the outage"),
                "hasOnline", () -> ImHelper.hasOnline(connected),
                "getClientListByOnline", ImHelper::getClientListByOnline,
                "getChanOnline", () -> ImHelper.getChanOnline("room"),
                "forceOffline", () -> ImHelper.forceOffline(connected));
        List<String> slow = new ArrayList<>();
        calls.forEach((name, call) -> {
            long start = System.nanoTime();
            assertThatThrownBy(call).as(name).isInstanceOf(ImConnectionException.class);
            long took = (System.nanoTime() - start) / 1_000_000;
            if (took > CLIENT_TIMEOUT.multipliedBy(2).plusSeconds(1).toMillis()) {
                slow.add(name + " " + took + " ms");
            }
        });
        assertThat(slow).as("calls slower than connect + socket timeout + 1 s").isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation") // RedisClient.sendCommand: CLIENT PAUSE has no typed method here
    void aCloseWhileRedisStallsIsWrittenWithItsOfflineEventOnceRedisAnswers() {
        String self = CLUSTER.entry(0);
        String dan = UniqueIds.of("dan");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client())) {
            TestTerminal terminal = CLUSTER.connect(dan, "d");
            CLUSTER.client().joinChan(dan, "stall-room");
            events.awaitFirst(PresenceEvent.ONLINE, dan);

            // write commands (HDEL, EVAL, PUBLISH) wait 2 s; the node gives up after its 500 ms socket timeout
            CLUSTER.redis().sendCommand(Protocol.Command.CLIENT, "PAUSE", "2000", "WRITE");
            terminal.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> CLUSTER.admin().counter("im.redis.commands.failed") > 0);

            PresenceEvent offline = events.await(PresenceEvent.OFFLINE, dan, 1);
            assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_DISCONNECT);
            assertThat(offline.metadata()).isEqualTo("d");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(CLUSTER.redis().hexists("im:node:" + self + ":online", dan))
                        .isFalse();
                assertThat(CLUSTER.redis().exists("im:client:" + dan + ":chans"))
                        .isFalse();
                assertThat(CLUSTER.redis().hexists("im:chan:stall-room", dan)).isFalse();
            });
            // and only once: a marker client's events come after anything more about dan
            String marker = UniqueIds.of("marker");
            CLUSTER.connect(marker, "").close();
            events.awaitFirst(PresenceEvent.OFFLINE, marker);
            assertThat(events.of(dan))
                    .extracting(PresenceEvent::type)
                    .containsExactly(PresenceEvent.ONLINE, PresenceEvent.OFFLINE);
        }
    }

    /**
     * A node cut off from Redis longer than the lease is swept by another node while its terminals stay
     * connected. Simulated in one MULTI: the sweep's writes (online hash and nodes entry deleted, memberships
     * left, offline published) and the loss of the node's subscriber connection. Back on Redis, the node
     * finds its lease gone, writes its state back and announces its client online again.
     */
    @Test
    @SuppressWarnings("deprecation") // sendCommand: CLIENT KILL has no typed method in a transaction
    void aNodeSweptWhileItRanWritesItsStateBackAndAnnouncesItsClientsAgain() throws Exception {
        String self = CLUSTER.entry(0);
        String erin = UniqueIds.of("erin");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client());
                TestTerminal terminal = CLUSTER.connect(erin, "e")) {
            CLUSTER.client().joinChan(erin, "swept-room");
            events.awaitFirst(PresenceEvent.ONLINE, erin);
            // right after a refresh, so that the next one (7 s away) cannot come before the resync
            String lease = CLUSTER.redis().hget("im:nodes", self);
            await().atMost(REFRESH.plusSeconds(2))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> !lease.equals(CLUSTER.redis().hget("im:nodes", self)));
            // the node's reader only: its connection is the one blocked in XREAD
            String subscriber = new String(
                            (byte[]) CLUSTER.redis().sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "normal"),
                            java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> line.contains(" name=im-service ") && line.contains(" cmd=xread"))
                    .map(line -> line.replaceAll("^id=(\\d+) .*", "$1"))
                    .findFirst()
                    .orElseThrow();
            try (var sweep = CLUSTER.redis().multi()) {
                sweep.del("im:node:" + self + ":online");
                sweep.hdel("im:nodes", self);
                sweep.hdel("im:chan:swept-room", erin);
                sweep.del("im:client:" + erin + ":chans");
                sweep.srem("im:chans", "swept-room");
                sweep.xadd(
                        "im:events",
                        Streams.addParams(100_000),
                        Streams.entry("{\"v\":1,\"type\":\"offline\",\"clientId\":\"" + erin
                                + "\",\"metadata\":\"\",\"node\":\"" + self + "\",\"reason\":\"node-dead\",\"ts\":1}"));
                sweep.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", subscriber);
                sweep.exec();
            }

            PresenceEvent online = events.await(PresenceEvent.ONLINE, erin, 2);
            assertThat(online.metadata()).isEqualTo("e");
            assertThat(events.of(erin))
                    .extracting(PresenceEvent::type)
                    .containsExactly(PresenceEvent.ONLINE, PresenceEvent.OFFLINE, PresenceEvent.ONLINE);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(CLUSTER.redis().hexists("im:nodes", self)).isTrue();
                assertThat(CLUSTER.redis().hget("im:node:" + self + ":online", erin))
                        .isEqualTo("1");
                assertThat(CLUSTER.redis().sismember("im:client:" + erin + ":chans", "swept-room"))
                        .isTrue();
                assertThat(CLUSTER.redis().hexists("im:chan:swept-room", erin)).isTrue();
            });
            CLUSTER.client().sendChanMessage("", "swept-room", "still a member");
            assertThat(terminal.next("chan").path("data").asText()).isEqualTo("still a member");
        }
    }

    private static Set<String> terminalIds(TestTerminal terminal) {
        return terminal.history().stream()
                .filter(frame -> frame.contains("\"type\":\"msg\""))
                .map(frame -> frame.replaceAll(".*\"id\":\"([^\"]*)\".*", "$1"))
                .collect(Collectors.toSet());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
