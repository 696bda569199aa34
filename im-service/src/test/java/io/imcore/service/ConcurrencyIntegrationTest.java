package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Races on one client of one node. Connects and closes of the same client id racing with each other leave
 * it offline with no hash field, and its online and offline events alternate and balance. Joins and leaves
 * racing with its disconnect leave no orphan membership: the three Redis indexes of a membership agree, the
 * node's channel index agrees with Redis when the client connects again, and once it is gone (channels not
 * kept) it is in no channel. (A join that lands after the disconnect is kept, as PROTOCOL.md says of a join
 * of an offline client; the README states the rule.)
 */
class ConcurrencyIntegrationTest {
    static final int CONNECTIONS = 64;
    static final int THREADS = 4;
    static final int HANDOVERS = 60;
    static final List<String> CHANNELS = List.of("race-0", "race-1", "race-2", "race-3");

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            // a short resume window: memberships linger in it, and the last check waits for its end
            .override("websocket.resume.window", "2s")
            .override("websocket.maxConnectionsPerClient", "1000")
            .override("websocket.maxFramesPerSecond", "0");

    static ExecutorService pool;

    @BeforeAll
    static void clients() {
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void closeClients() {
        pool.shutdownNow();
    }

    private static String onlineHash() {
        return "im:node:" + CLUSTER.entry(0) + ":online";
    }

    @Test
    void concurrentConnectsAndClosesOfOneClientEndOfflineWithAlternatingBalancedEvents() {
        String racer = UniqueIds.of("racer");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client())) {
            // a last close racing with the next first connect, again and again: a new terminal connects while
            // the only one closes (the close a few ms late now and then, so the two meet at the node)
            TestTerminal current = CLUSTER.connect(racer, "first");
            for (int i = 0; i < HANDOVERS; i++) {
                String url = CLUSTER.client().prevConnectServer(racer, "h" + i);
                CyclicBarrier start = new CyclicBarrier(2);
                TestTerminal closing = current;
                CompletableFuture<Void> close = CompletableFuture.runAsync(
                        () -> {
                            meet(start);
                            pause(ThreadLocalRandom.current().nextInt(10));
                            closing.close();
                        },
                        pool);
                CompletableFuture<TestTerminal> connect = CompletableFuture.supplyAsync(
                        () -> {
                            meet(start);
                            return TestTerminal.connectReady(url);
                        },
                        pool);
                close.join();
                current = connect.join();
            }
            current.close();
            // 4 terminals of one client connecting and closing over and over: the count keeps dropping to 0
            // and rising again while other connects and closes are in flight
            List<CompletableFuture<Void>> racing = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                racing.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < CONNECTIONS / THREADS; i++) {
                                pause(ThreadLocalRandom.current().nextInt(40));
                                TestTerminal terminal = CLUSTER.connect(racer, "m" + i);
                                pause(ThreadLocalRandom.current().nextInt(10));
                                terminal.close();
                            }
                        },
                        pool));
            }
            racing.forEach(CompletableFuture::join);

            await("all closed").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(CLUSTER.redis().hget(onlineHash(), racer)).isNull();
                assertThat(CLUSTER.admin().gauge("im.connections")).isZero();
                List<PresenceEvent> mine = events.of(racer);
                assertThat(mine).isNotEmpty();
                assertThat(mine.get(mine.size() - 1).type()).isEqualTo(PresenceEvent.OFFLINE);
            });
            assertNoMoreEventsFor(events);
            List<String> types =
                    events.of(racer).stream().map(PresenceEvent::type).toList();
            for (int i = 0; i < types.size(); i++) {
                assertThat(types.get(i))
                        .as("event %d of %s", i, types)
                        .isEqualTo(i % 2 == 0 ? PresenceEvent.ONLINE : PresenceEvent.OFFLINE);
            }
            assertThat(types.size() % 2).isZero();
            assertThat(CLUSTER.client().hasOnline(racer)).isFalse();
            assertThat(CLUSTER.admin().gauge("im.clients.online")).isZero();
            System.out.printf(
                    "%d handovers and %d racing connections of one client: %d online/offline pairs%n",
                    HANDOVERS, CONNECTIONS, types.size() / 2);
            assertThat(types.size() / 2)
                    .as("the count went back to 0 now and then")
                    .isGreaterThan(1);
        }
    }

    @Test
    void joinsAndLeavesRacingWithDisconnectsLeaveNoOrphanMembership() {
        String member = UniqueIds.of("member");
        Random random = new Random();
        for (int round = 0; round < 10; round++) {
            TestTerminal terminal = CLUSTER.connect(member, "");
            CompletableFuture<Void> memberships = CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < 40; i++) {
                            String chan =
                                    CHANNELS.get(ThreadLocalRandom.current().nextInt(CHANNELS.size()));
                            if (ThreadLocalRandom.current().nextBoolean()) {
                                CLUSTER.client().joinChan(member, chan);
                            } else {
                                CLUSTER.client().leaveChan(member, chan);
                            }
                        }
                    },
                    pool);
            pause(random.nextInt(15));
            terminal.close();
            memberships.join();
            // the close is handled (its channel cleanup done) once the node counts no connection
            await().atMost(Duration.ofSeconds(10)).until(() -> CLUSTER.admin().gauge("im.connections") == 0);
            assertRedisIndexesAgree(member);
        }

        // connected again: the node's channel index is exactly what Redis says
        Set<String> stored = CLUSTER.redis().smembers("im:client:" + member + ":chans");
        try (TestTerminal terminal = CLUSTER.connect(member, "")) {
            for (String chan : CHANNELS) {
                CLUSTER.client().sendChanMessage("", chan, chan);
            }
            // on broadcast, as the channel messages: one feed is handled in order (inbox and broadcast are not)
            String marker = CLUSTER.client().sendBroadcastMessage("marker");
            Set<String> delivered = new HashSet<>();
            while (true) {
                var frame = terminal.next();
                if (marker.equals(frame.path("id").asText())) {
                    break;
                }
                if ("chan".equals(frame.path("type").asText())) {
                    delivered.add(frame.path("chan").asText());
                }
            }
            assertThat(delivered).as("channels delivered vs Redis").isEqualTo(stored);
        }
        // gone, channels not kept: once its window is over, in no channel, neither in Redis nor in the node's index
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(CLUSTER.redis().exists("im:client:" + member + ":chans")).isFalse();
            for (String chan : CHANNELS) {
                assertThat(CLUSTER.redis().hexists("im:chan:" + chan, member)).isFalse();
                assertThat(CLUSTER.redis().sismember("im:chans", chan))
                        .isEqualTo(CLUSTER.redis().hlen("im:chan:" + chan) > 0);
            }
            assertThat(CLUSTER.admin().gauge("im.channels.local")).isZero();
        });
    }

    /** A membership is in all three Redis indexes or in none; {@code chans} lists exactly the channels with members. */
    private static void assertRedisIndexesAgree(String member) {
        for (String chan : CHANNELS) {
            boolean inChannel = CLUSTER.redis().hexists("im:chan:" + chan, member);
            boolean inClientSet = CLUSTER.redis().sismember("im:client:" + member + ":chans", chan);
            assertThat(inClientSet)
                    .as("%s in %s: chan hash %s, client set %s", member, chan, inChannel, inClientSet)
                    .isEqualTo(inChannel);
            assertThat(CLUSTER.redis().sismember("im:chans", chan))
                    .as("chans lists %s", chan)
                    .isEqualTo(CLUSTER.redis().hlen("im:chan:" + chan) > 0);
        }
    }

    /** Events of a marker client come after anything still on its way. */
    private static void assertNoMoreEventsFor(PresenceRecorder events) {
        String marker = UniqueIds.of("marker");
        CLUSTER.connect(marker, "").close();
        events.awaitFirst(PresenceEvent.OFFLINE, marker);
    }

    private static void meet(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
