package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.Rendezvous;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live membership with real nodes, each a JVM of its own, on one real Redis (issue 14), with the default lease
 * (6 s) and refresh interval (2 s) and a rebalance period of 3 s. The steps build on each other, in order: three
 * nodes start; a 3 s stall moves nobody; drift is unhealthy with its reason; a killed node's clients connect
 * elsewhere within 10 s and what was sent meanwhile is answered; a fourth node takes its share (1001, spread),
 * with every message delivered or answered offline; a node swept while paused heals; a drain and a SIGTERM move
 * their clients at once. Bounds measured are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipIntegrationTest {
    static final Duration LEASE = Duration.ofSeconds(6);
    static final Duration REFRESH = Duration.ofSeconds(2);
    static final Duration REBALANCE = Duration.ofSeconds(3);
    /** The bound of the issue: a killed node's clients can connect elsewhere within 10 s of the kill. */
    static final Duration DEATH_BOUND = Duration.ofSeconds(10);

    static final Map<String, String> CONFIG =
            Map.of("cluster.lease", "6s", "cluster.refreshInterval", "2s", "cluster.rebalancePeriod", "3s");

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(4).running().withEvents();

    static final NodeProcess[] NODES = new NodeProcess[4];
    static final Map<String, TestTerminal> TERMINALS = new ConcurrentHashMap<>();

    @AfterAll
    static void stopNodes() {
        TERMINALS.values().forEach(TestTerminal::close);
        for (NodeProcess node : NODES) {
            if (node != null) {
                node.close();
            }
        }
    }

    private static void start(int index) {
        NODES[index] = CLUSTER.startProcess(index, CONFIG);
    }

    private static List<String> entries(int... indexes) {
        List<String> entries = new ArrayList<>();
        for (int index : indexes) {
            entries.add(CLUSTER.entry(index));
        }
        return entries;
    }

    /** A new client id whose home among the nodes {@code members} is node {@code index}. */
    private static String homedOn(int index, int... members) {
        List<String> entries = entries(members);
        while (true) {
            String id = UniqueIds.of("m");
            if (Rendezvous.home(id, entries).equals(CLUSTER.entry(index))) {
                return id;
            }
        }
    }

    /** Waits until the business client and every running node see exactly {@code members}. */
    private static void awaitMembers(int... members) {
        List<String> expected = entries(members).stream().sorted().toList();
        await("members " + expected)
                .atMost(LEASE.plus(REFRESH).plusSeconds(4))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(CLUSTER.client().membership().members()).isEqualTo(expected);
                    for (int index : members) {
                        JsonNode answer = NODES[index].admin().taskJson("membership", "");
                        List<String> seen = new ArrayList<>();
                        answer.path("members").forEach(member -> seen.add(member.asText()));
                        assertThat(seen).as("members seen by node %d", index).isEqualTo(expected);
                    }
                });
    }

    /** Connects {@code clientId} through the business client, retrying until a node takes it; null after the bound. */
    private static TestTerminal connectWithin(String clientId, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        AssertionError last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                TestTerminal terminal = CLUSTER.connect(clientId, "");
                TERMINALS.put(clientId, terminal);
                return terminal;
            } catch (AssertionError refused) {
                last = refused;
                sleepQuietly(100);
            }
        }
        throw new AssertionError(clientId + " could not connect within " + bound, last);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis); // a retry pause between connects, not a wait for an event
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String nodeOf(TestTerminal terminal) {
        for (String frame : terminal.history()) {
            JsonNode json = parse(frame);
            if (json.path("type").asText().equals("hello")) {
                return json.path("node").asText();
            }
        }
        throw new AssertionError("no hello in " + terminal.history());
    }

    private static JsonNode parse(String frame) {
        try {
            return Codec.mapper().readTree(frame);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The ids of the {@code msg} frames {@code terminal} received. */
    private static Set<String> messageIds(TestTerminal terminal) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (String frame : terminal.history()) {
            JsonNode json = parse(frame);
            if (json.path("type").asText().equals("msg")) {
                ids.add(json.path("id").asText());
            }
        }
        return ids;
    }

    /** Receipt frames of {@code terminal}: message id + receiver → status. */
    private static Map<String, String> receipts(TestTerminal terminal) {
        Map<String, String> receipts = new HashMap<>();
        for (String frame : terminal.history()) {
            JsonNode json = parse(frame);
            if (json.path("type").asText().equals("receipt")) {
                receipts.put(
                        json.path("id").asText() + "/" + json.path("to").asText(),
                        json.path("status").asText());
            }
        }
        return receipts;
    }

    private static void printBound(String what, long millis) {
        System.out.printf("MEASURED %s: %d ms%n", what, millis);
    }

    @Test
    @Order(1)
    void threeNodesStartAndAgreeOnTheMembers() {
        start(0);
        start(1);
        start(2);
        awaitMembers(0, 1, 2);
        for (int index = 0; index < 3; index++) {
            assertThat(NODES[index].admin().isHealthy("cluster")).isTrue();
        }
    }

    @Test
    @Order(2)
    void aStallShorterThanTheLeaseMovesNobody() {
        String client = homedOn(1, 0, 1, 2);
        TestTerminal terminal = connectWithin(client, Duration.ofSeconds(10));
        assertThat(nodeOf(terminal)).isEqualTo(CLUSTER.entry(1));
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, client);

        NODES[1].pause();
        long pausedAt = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        NODES[1].resume();
        printBound("SIGSTOP held", (System.nanoTime() - pausedAt) / 1_000_000);

        // two more refreshes on every side: nobody dropped node 1, nobody moved
        await().pollDelay(REFRESH.multipliedBy(2))
                .atMost(REFRESH.multipliedBy(3))
                .until(() -> true);
        assertThat(terminal.isOpen()).isTrue();
        assertThat(CLUSTER.events().of(PresenceEvent.OFFLINE, client)).isEmpty();
        assertThat(CLUSTER.client().hasOnline(client)).isTrue();
        assertThat(CLUSTER.client().membership().members()).contains(CLUSTER.entry(1));
        for (int index = 0; index < 3; index++) {
            assertThat(NODES[index].admin().counter("im.clients.moved.out")).isZero();
        }
        terminal.close();
        CLUSTER.events().awaitFirst(PresenceEvent.OFFLINE, client);
    }

    @Test
    @Order(3)
    void aMemberWithAnotherAllowListMakesTheHealthCheckUnhealthyWithTheReason() {
        String stranger = CLUSTER.entry(3);
        long now = System.currentTimeMillis();
        // marked leaving, so that it is no member: nobody routes to it or moves clients to it meanwhile
        CLUSTER.redis()
                .hset(
                        "im:nodes",
                        stranger,
                        Codec.encode(new NodeLease(
                                now,
                                now,
                                0,
                                Rendezvous.NAME,
                                "0000000000000000000000000000000000000000000000000000000000000000",
                                true)));
        try {
            await("drift seen").atMost(REFRESH.multipliedBy(2).plusSeconds(2)).untilAsserted(() -> {
                JsonNode cluster = NODES[0].admin().health().path("cluster");
                assertThat(cluster.path("healthy").asBoolean()).isFalse();
                assertThat(cluster.path("message").asText()).contains("configuration drift", stranger, "allow-list");
            });
            await("drift seen by ImClient")
                    .atMost(REFRESH.plusSeconds(2))
                    .untilAsserted(
                            () -> assertThat(CLUSTER.client().membership().conflicts())
                                    .anySatisfy(c -> assertThat(c).contains(stranger)));
        } finally {
            CLUSTER.redis().hdel("im:nodes", stranger);
        }
        await("drift gone")
                .atMost(REFRESH.multipliedBy(2).plusSeconds(2))
                .until(() -> NODES[0].admin().isHealthy("cluster"));
    }

    @Test
    @Order(4)
    void aKilledNodesClientsConnectElsewhereWithinTheBoundAndWhatWasSentMeanwhileIsAnswered() throws Exception {
        String sender = homedOn(0, 0, 1, 2);
        String victim = homedOn(2, 0, 1, 2);
        String bystander = homedOn(2, 0, 1, 2);
        TestTerminal senderTerminal = connectWithin(sender, Duration.ofSeconds(10));
        TestTerminal victimTerminal = connectWithin(victim, Duration.ofSeconds(10));
        connectWithin(bystander, Duration.ofSeconds(10));
        assertThat(nodeOf(victimTerminal)).isEqualTo(CLUSTER.entry(2));
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, victim);
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, bystander);

        long killedAt = System.nanoTime();
        NODES[2].kill();
        NODES[2] = null;
        String meanwhile = CLUSTER.client().sendMessage(sender, List.of(victim), "sent while its node is dead", true);

        TestTerminal again = connectWithin(victim, DEATH_BOUND);
        long reconnectMillis = (System.nanoTime() - killedAt) / 1_000_000;
        printBound("SIGKILL to reconnect on a live node", reconnectMillis);
        assertThat(reconnectMillis).isLessThanOrEqualTo(DEATH_BOUND.toMillis());
        assertThat(nodeOf(again)).isIn(CLUSTER.entry(0), CLUSTER.entry(1));

        String after = CLUSTER.client().sendMessage(sender, List.of(victim), "sent after the reconnect", true);
        await("the message sent after the reconnect")
                .atMost(Duration.ofSeconds(5))
                .until(() -> messageIds(again).contains(after));
        await("the message sent meanwhile: delivered or answered offline, never silence")
                .atMost(LEASE.plus(REFRESH.multipliedBy(2)).plusSeconds(3))
                .untilAsserted(() -> assertThat(messageIds(again).contains(meanwhile)
                                || receipts(senderTerminal).containsKey(meanwhile + "/" + victim))
                        .isTrue());
        printBound("SIGKILL to the answer of the message sent meanwhile", (System.nanoTime() - killedAt) / 1_000_000);

        await("hasOnline right again").atMost(DEATH_BOUND).untilAsserted(() -> {
            assertThat(CLUSTER.client().hasOnline(bystander)).isFalse();
            assertThat(CLUSTER.client().hasOnline(victim)).isTrue();
            assertThat(CLUSTER.client().getClientListByOnline())
                    .contains(victim, sender)
                    .doesNotContain(bystander);
        });
        printBound("SIGKILL to hasOnline right", (System.nanoTime() - killedAt) / 1_000_000);
        awaitMembers(0, 1);
    }

    @Test
    @Order(5)
    void aFourthNodeTakesItsShareAndNoMessageForAConnectedClientIsLost() throws Exception {
        // node 2 is dead: the members are 0 and 1, node 3 joins with the same configuration
        String sender = null;
        while (sender == null) {
            String candidate = homedOn(0, 0, 1);
            if (Rendezvous.home(candidate, entries(0, 1, 3)).equals(CLUSTER.entry(0))) {
                sender = candidate;
            }
        }
        TestTerminal senderTerminal = connectWithin(sender, Duration.ofSeconds(10));
        List<String> clients = new ArrayList<>();
        Map<String, List<TestTerminal>> terminals = new ConcurrentHashMap<>();
        for (int i = 0; i < 24; i++) {
            String client = UniqueIds.of("join");
            clients.add(client);
            terminals
                    .computeIfAbsent(client, c -> new ArrayList<>())
                    .add(connectWithin(client, Duration.ofSeconds(10)));
        }
        List<String> moving = clients.stream()
                .filter(c -> Rendezvous.home(c, entries(0, 1, 3)).equals(CLUSTER.entry(3)))
                .toList();
        assertThat(moving).as("some clients move to the new node").isNotEmpty();

        start(3);
        long joinedAt = System.nanoTime();
        List<String> sent = new ArrayList<>();
        Map<String, Long> landedAt = new ConcurrentHashMap<>();
        long sendUntil = joinedAt + REFRESH.plus(REBALANCE).plusSeconds(3).toNanos();
        while (System.nanoTime() - sendUntil < 0) {
            for (String client : clients) {
                List<TestTerminal> own = terminals.get(client);
                TestTerminal last = own.get(own.size() - 1);
                if (!last.isOpen()) {
                    TestTerminal moved = connectWithin(client, Duration.ofSeconds(10));
                    own.add(moved);
                    landedAt.put(client, System.nanoTime());
                }
            }
            sent.add(CLUSTER.client().sendMessage(sender, clients, "during the join", true));
            sleepQuietly(200);
        }
        await("every moving client moved").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String client : moving) {
                List<TestTerminal> own = terminals.get(client);
                TestTerminal last = own.get(own.size() - 1);
                if (!last.isOpen()) {
                    own.add(connectWithin(client, Duration.ofSeconds(10)));
                    landedAt.put(client, System.nanoTime());
                }
                assertThat(nodeOf(own.get(own.size() - 1)))
                        .as("node of %s", client)
                        .isEqualTo(CLUSTER.entry(3));
            }
        });
        for (String client : moving) {
            assertThat(terminals.get(client).get(0).awaitCloseCode()).isEqualTo(1001);
        }
        for (String client : clients) {
            if (!moving.contains(client)) {
                assertThat(terminals.get(client)).as("%s stays", client).hasSize(1);
                assertThat(terminals.get(client).get(0).isOpen()).isTrue();
            }
        }
        long firstLanding = landedAt.values().stream().min(Long::compare).orElseThrow();
        long lastLanding = landedAt.values().stream().max(Long::compare).orElseThrow();
        printBound("node 3 healthy to the first moved client on it", (firstLanding - joinedAt) / 1_000_000);
        printBound("node 3 healthy to the last moved client on it", (lastLanding - joinedAt) / 1_000_000);
        printBound("spread of the moves", (lastLanding - firstLanding) / 1_000_000);

        // every message to every client: on one of its terminals, or answered offline; never silence
        await("every message delivered or answered")
                .atMost(LEASE.plusSeconds(4))
                .untilAsserted(() -> {
                    Map<String, String> receipts = receipts(senderTerminal);
                    int delivered = 0;
                    int offline = 0;
                    List<String> silent = new ArrayList<>();
                    for (String client : clients) {
                        Set<String> got = ConcurrentHashMap.newKeySet();
                        terminals.get(client).forEach(t -> got.addAll(messageIds(t)));
                        for (String id : sent) {
                            if (got.contains(id)) {
                                delivered++;
                            } else if ("offline".equals(receipts.get(id + "/" + client))) {
                                offline++;
                            } else {
                                silent.add(id + "/" + client);
                            }
                        }
                    }
                    System.out.printf(
                            "join: %d delivered, %d offline receipts, %d silent%n", delivered, offline, silent.size());
                    assertThat(silent).isEmpty();
                });
        long forwarded = 0;
        for (int index : new int[] {0, 1, 3}) {
            forwarded += NODES[index].admin().counter("im.envelopes.forwarded");
        }
        System.out.printf("MEASURED forwarded during the join: %d%n", forwarded);
        // at least every moving client; more when a loaded machine let node 3's lease flap, so that a client that
        // came back meanwhile was moved again
        assertThat(NODES[0].admin().counter("im.clients.moved.out")
                        + NODES[1].admin().counter("im.clients.moved.out"))
                .isGreaterThanOrEqualTo(moving.size());
        awaitMembers(0, 1, 3);
        terminals.values().forEach(list -> list.forEach(TestTerminal::close));
    }

    @Test
    @Order(6)
    void aNodeSweptWhilePausedLongerThanTheLeaseHealsItself() throws Exception {
        String client = homedOn(1, 0, 1, 3);
        TestTerminal terminal = connectWithin(client, Duration.ofSeconds(10));
        assertThat(nodeOf(terminal)).isEqualTo(CLUSTER.entry(1));
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, client);

        NODES[1].pause();
        try {
            await("node 1 swept while paused")
                    .atMost(LEASE.plus(REFRESH.multipliedBy(2)).plusSeconds(4))
                    .until(() -> !CLUSTER.redis().hexists("im:nodes", CLUSTER.entry(1))
                            && !CLUSTER.events()
                                    .of(PresenceEvent.OFFLINE, client)
                                    .isEmpty());
            assertThat(CLUSTER.client().hasOnline(client)).isFalse();
        } finally {
            NODES[1].resume();
        }
        long resumedAt = System.nanoTime();
        await("node 1 healed: its client online again, or moved")
                .atMost(REFRESH.multipliedBy(3).plusSeconds(2))
                .untilAsserted(() -> {
                    assertThat(CLUSTER.redis().hexists("im:nodes", CLUSTER.entry(1)))
                            .isTrue();
                    assertThat(CLUSTER.client().hasOnline(client)).isTrue();
                    assertThat(CLUSTER.events().of(PresenceEvent.ONLINE, client))
                            .hasSize(2);
                });
        printBound("SIGCONT to healed", (System.nanoTime() - resumedAt) / 1_000_000);
        assertThat(terminal.isOpen()).as("the client stayed on its node").isTrue();
        awaitMembers(0, 1, 3);
        String id = CLUSTER.client().sendMessage("", List.of(client), "after the heal");
        await().atMost(Duration.ofSeconds(5)).until(() -> messageIds(terminal).contains(id));
        terminal.close();
    }

    @Test
    @Order(7)
    void aDrainMovesItsClientsAtOnce() {
        List<String> clients = List.of(homedOn(3, 0, 1, 3), homedOn(3, 0, 1, 3), homedOn(3, 0, 1, 3));
        List<TestTerminal> before = new ArrayList<>();
        for (String client : clients) {
            before.add(connectWithin(client, Duration.ofSeconds(10)));
        }
        before.forEach(t -> assertThat(nodeOf(t)).isEqualTo(CLUSTER.entry(3)));

        long drainedAt = System.nanoTime();
        NODES[3].admin().taskJson("drain", "period=1s");
        for (int i = 0; i < clients.size(); i++) {
            assertThat(before.get(i).awaitCloseCode()).isEqualTo(1001);
            TestTerminal moved = connectWithin(clients.get(i), Duration.ofSeconds(10));
            assertThat(nodeOf(moved)).isIn(CLUSTER.entry(0), CLUSTER.entry(1));
        }
        printBound("drain to every client on another node", (System.nanoTime() - drainedAt) / 1_000_000);
        awaitMembers(0, 1);
        NODES[3].terminate();
    }

    @Test
    @Order(8)
    void aSigtermMovesItsClientsAtOnce() throws Exception {
        String client = homedOn(1, 0, 1);
        TestTerminal terminal = connectWithin(client, Duration.ofSeconds(10));
        assertThat(nodeOf(terminal)).isEqualTo(CLUSTER.entry(1));

        long stoppedAt = System.nanoTime();
        NODES[1].terminate();
        assertThat(terminal.awaitCloseCode()).isEqualTo(1001);
        TestTerminal moved = connectWithin(client, Duration.ofSeconds(10));
        assertThat(nodeOf(moved)).isEqualTo(CLUSTER.entry(0));
        printBound("SIGTERM to the client on another node", (System.nanoTime() - stoppedAt) / 1_000_000);
        assertThat(NODES[1].awaitExit(Duration.ofSeconds(30))).isZero();
        String id = CLUSTER.client().sendMessage("", List.of(client), "after the SIGTERM");
        await().atMost(Duration.ofSeconds(5)).until(() -> messageIds(moved).contains(id));
    }
}
