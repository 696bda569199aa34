package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.Markers;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.RawXadd;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.StreamRecorder;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real nodes in one JVM on one real Redis: routing by partition, one publish per node, receipts and
 * channel messages across nodes, misdirected tokens, kicks, online state and the dead-node sweep.
 */
class TwoNodeIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Live nodes refresh their lease and look for dead ones every second. */
    @RegisterExtension
    static final NodeCluster CLUSTER =
            NodeCluster.ofSize(2).override("cluster.refreshInterval", "1s").override("cluster.lease", "15s");

    private static String on(int node, String base) {
        return CLUSTER.clientIdOn(node, UniqueIds.of(base));
    }

    private static String inbox(int node) {
        return "im:node:" + CLUSTER.entry(node);
    }

    private static TestTerminal connect(String clientId) {
        return CLUSTER.connect(clientId, "meta-" + clientId);
    }

    @Test
    void prevConnectServerReturnsTheUrlOfEachClientsOwnNode() {
        String a = on(0, "url-a");
        String b = on(1, "url-b");

        String urlA = CLUSTER.client().prevConnectServer(a, "");
        String urlB = CLUSTER.client().prevConnectServer(b, "");

        assertThat(urlA).matches("ws://" + CLUSTER.entry(0).replace(".", "\\.") + "/ws\\?token=[A-Za-z0-9_-]{43}");
        assertThat(urlB).matches("ws://" + CLUSTER.entry(1).replace(".", "\\.") + "/ws\\?token=[A-Za-z0-9_-]{43}");
        try (TestTerminal ta = TestTerminal.connect(urlA);
                TestTerminal tb = TestTerminal.connect(urlB)) {
            JsonNode helloA = ta.next();
            JsonNode helloB = tb.next();
            assertThat(helloA.path("type").asText()).isEqualTo("hello");
            assertThat(helloA.path("clientId").asText()).isEqualTo(a);
            assertThat(helloA.path("node").asText()).isEqualTo(CLUSTER.entry(0));
            assertThat(helloB.path("clientId").asText()).isEqualTo(b);
            assertThat(helloB.path("node").asText()).isEqualTo(CLUSTER.entry(1));
        }
    }

    @Test
    void oneMessageToReceiversOnBothNodesIsPublishedOncePerNodeAndReachesEveryone() throws Exception {
        String sender = on(0, "fan-sender");
        String r0a = on(0, "fan-r0a");
        String r0b = on(0, "fan-r0b");
        String r1a = on(1, "fan-r1a");
        String r1b = on(1, "fan-r1b");
        try (StreamRecorder inboxes = StreamRecorder.start(CLUSTER.redisServer(), inbox(0), inbox(1));
                TestTerminal t0a = connect(r0a);
                TestTerminal t0b = connect(r0b);
                TestTerminal t1a = connect(r1a);
                TestTerminal t1b = connect(r1b)) {
            String id =
                    CLUSTER.client().sendMessage(sender, List.of(r0a, r1a, r0b, r1b, r0a), Map.of("text", "fan out"));

            for (TestTerminal terminal : List.of(t0a, t0b, t1a, t1b)) {
                JsonNode msg = terminal.next();
                assertThat(msg.path("type").asText()).isEqualTo("msg");
                assertThat(msg.path("id").asText()).isEqualTo(id);
                assertThat(msg.path("from").asText()).isEqualTo(sender);
                assertThat(msg.path("data").path("text").asText()).isEqualTo("fan out");
            }

            inboxes.sync();
            List<String> onNode0 = inboxes.on(inbox(0), id);
            List<String> onNode1 = inboxes.on(inbox(1), id);
            assertThat(onNode0)
                    .as("publishes of message %s on node 0's inbox", id)
                    .hasSize(1);
            assertThat(onNode1)
                    .as("publishes of message %s on node 1's inbox", id)
                    .hasSize(1);
            JsonNode envelope0 = JSON.readTree(onNode0.get(0));
            JsonNode envelope1 = JSON.readTree(onNode1.get(0));
            assertThat(envelope0.path("type").asText()).isEqualTo("msg");
            assertThat(envelope0.path("v").asInt()).isEqualTo(1);
            assertThat(texts(envelope0.path("to"))).containsExactly(r0a, r0b);
            assertThat(texts(envelope1.path("to"))).containsExactly(r1a, r1b);
            assertThat(envelope0.path("from").asText()).isEqualTo(sender);
            assertThat(envelope1.path("ts").asLong())
                    .isEqualTo(envelope0.path("ts").asLong());

            // the duplicate r0a got the message once: the next frame of t0a is a later marker
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), r0a, t0a);
        }
    }

    @Test
    void receiptsFromNode1ReachTheSendersTerminalOnNode0() {
        String sender = on(0, "rcpt-sender");
        String online = on(1, "rcpt-online");
        String offline = on(1, "rcpt-offline");
        try (TestTerminal senderTerminal = connect(sender);
                TestTerminal receiver = connect(online)) {
            String delivered = CLUSTER.client().sendMessage(sender, List.of(online), "are you there?", true);

            assertThat(receiver.next("msg").path("id").asText()).isEqualTo(delivered);
            JsonNode receipt = senderTerminal.next();
            assertThat(receipt.path("v").asInt()).isEqualTo(1);
            assertThat(receipt.path("type").asText()).isEqualTo("receipt");
            assertThat(receipt.path("id").asText()).isEqualTo(delivered);
            assertThat(receipt.path("to").asText()).isEqualTo(online);
            assertThat(receipt.path("status").asText()).isEqualTo("delivered");
            assertThat(receipt.path("ts").isIntegralNumber()).isTrue();

            String missed = CLUSTER.client().sendMessage(sender, List.of(offline), "hello?", true);
            JsonNode offlineReceipt = senderTerminal.next();
            assertThat(offlineReceipt.path("type").asText()).isEqualTo("receipt");
            assertThat(offlineReceipt.path("id").asText()).isEqualTo(missed);
            assertThat(offlineReceipt.path("to").asText()).isEqualTo(offline);
            assertThat(offlineReceipt.path("status").asText()).isEqualTo("offline");

            // one receipt per receiver: nothing more is pending for the sender
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), sender, senderTerminal);
        }
    }

    @Test
    void channelMessageReachesMembersOnBothNodesAndNoOneElse() {
        String chan = UniqueIds.of("room");
        String member0 = on(0, "chan-m0");
        String member1 = on(1, "chan-m1");
        String outsider0 = on(0, "chan-n0");
        String outsider1 = on(1, "chan-n1");
        CLUSTER.client().joinChan(member1, chan); // offline join: takes effect when member1 connects
        try (StreamRecorder broadcast = StreamRecorder.start(CLUSTER.redisServer(), "im:broadcast");
                TestTerminal m0 = connect(member0);
                TestTerminal m1 = connect(member1);
                TestTerminal n0 = connect(outsider0);
                TestTerminal n1 = connect(outsider1)) {
            // online join: the join envelope reaches node 0 before the message
            CLUSTER.client().joinChan(member0, chan);

            String id = CLUSTER.client().sendChanMessage(member0, chan, Map.of("text", "to the room"));

            for (TestTerminal member : List.of(m0, m1)) {
                JsonNode frame = member.next();
                assertThat(frame.path("type").asText()).isEqualTo("chan");
                assertThat(frame.path("id").asText()).isEqualTo(id);
                assertThat(frame.path("chan").asText()).isEqualTo(chan);
                assertThat(frame.path("from").asText()).isEqualTo(member0);
                assertThat(frame.path("data").path("text").asText()).isEqualTo("to the room");
            }
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), outsider0, n0);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), outsider1, n1);
            broadcast.sync();
            assertThat(broadcast.on("im:broadcast", id))
                    .as("publishes of channel message %s", id)
                    .hasSize(1);
        }
    }

    @Test
    void tokenOfANode1ClientUsedAtNode0IsMisdirectedAndSpent() {
        String b = on(1, "misdirected");
        String url = CLUSTER.client().prevConnectServer(b, "");
        String token = url.substring(url.indexOf("?token=") + "?token=".length());
        String wrongNode = url.replace(CLUSTER.entry(1), CLUSTER.entry(0));
        assertThat(wrongNode).isNotEqualTo(url);

        assertThat(TestTerminal.refusalStatus(wrongNode)).isEqualTo(421);

        assertThat(CLUSTER.redis().exists("im:token:" + token))
                .as("the token is spent by the refusal")
                .isFalse();
        assertThat(TestTerminal.refusalStatus(url)).isEqualTo(401);
        assertThat(CLUSTER.client().hasOnline(b)).isFalse();
    }

    @Test
    void forceOfflineClosesAClientOnNode1With1008() {
        String b = on(1, "kicked");
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client());
                TestTerminal terminal = connect(b)) {
            events.awaitFirst(PresenceEvent.ONLINE, b);

            CLUSTER.client().forceOffline(b);

            assertThat(terminal.awaitCloseCode()).isEqualTo(1008);
            PresenceEvent offline = events.awaitFirst(PresenceEvent.OFFLINE, b);
            assertThat(offline.reason()).isEqualTo("kick");
            assertThat(offline.node()).isEqualTo(CLUSTER.entry(1));
            assertThat(offline.metadata()).isEqualTo("meta-" + b);
            await().atMost(WAIT).until(() -> !CLUSTER.client().hasOnline(b));
        }
    }

    @Test
    void onlineStateSpansBothNodes() {
        String a = on(0, "online-a");
        String b = on(1, "online-b");
        assertThat(CLUSTER.client().hasOnline(a)).isFalse();
        assertThat(CLUSTER.client().hasOnline(b)).isFalse();
        try (TestTerminal ta = connect(a)) {
            try (TestTerminal tb = connect(b)) {
                // registration happens before hello, so it is visible now
                assertThat(CLUSTER.client().getClientListByOnline()).contains(a, b);
                assertThat(CLUSTER.client().hasOnline(a)).isTrue();
                assertThat(CLUSTER.client().hasOnline(b)).isTrue();
                assertThat(CLUSTER.redis().hget("im:node:" + CLUSTER.entry(0) + ":online", a))
                        .isEqualTo("1");
                assertThat(CLUSTER.redis().hget("im:node:" + CLUSTER.entry(1) + ":online", b))
                        .isEqualTo("1");
                assertThat(CLUSTER.redis().hexists("im:node:" + CLUSTER.entry(0) + ":online", b))
                        .isFalse();
            }
            await().atMost(WAIT).until(() -> !CLUSTER.client().hasOnline(b));
            assertThat(CLUSTER.client().getClientListByOnline()).contains(a).doesNotContain(b);
            assertThat(CLUSTER.client().hasOnline(a)).isTrue();
            assertThat(CLUSTER.redis().hexists("im:node:" + CLUSTER.entry(1) + ":online", b))
                    .as("the field is removed, not set to 0")
                    .isFalse();
        }
        await().atMost(WAIT).until(() -> !CLUSTER.client().hasOnline(a));
        assertThat(CLUSTER.client().getClientListByOnline()).doesNotContain(a, b);
    }

    @Test
    void aLiveNodeSweepsANodeWithAStaleLease() {
        String dead = "127.0.0.1:1";
        String ghost1 = UniqueIds.of("ghost");
        String ghost2 = UniqueIds.of("ghost");
        String room = UniqueIds.of("ghost-room");
        long now = System.currentTimeMillis();
        try (PresenceRecorder events = PresenceRecorder.start(CLUSTER.client())) {
            CLUSTER.redis().hset("im:chan:" + room, ghost1, Long.toString(now));
            CLUSTER.redis().sadd("im:client:" + ghost1 + ":chans", room);
            CLUSTER.redis().sadd("im:chans", room);
            CLUSTER.redis().hset("im:node:" + dead + ":online", Map.of(ghost1, "1", ghost2, "2"));
            CLUSTER.redis()
                    .hset(
                            "im:nodes",
                            dead,
                            "{\"v\":1,\"startedAt\":" + (now - 120_000) + ",\"seenAt\":" + (now - 60_000)
                                    + ",\"connections\":3}");

            await("the sweep of " + dead)
                    .atMost(WAIT)
                    .until(() -> !CLUSTER.redis().exists("im:node:" + dead + ":online")
                            && !CLUSTER.redis().hexists("im:nodes", dead));

            assertThat(CLUSTER.redis().get("im:sweep:" + dead)).isIn(CLUSTER.entry(0), CLUSTER.entry(1));
            PresenceEvent first = events.awaitFirst(PresenceEvent.OFFLINE, ghost1);
            PresenceEvent second = events.awaitFirst(PresenceEvent.OFFLINE, ghost2);
            for (PresenceEvent event : List.of(first, second)) {
                assertThat(event.reason()).isEqualTo("node-dead");
                assertThat(event.node()).isEqualTo(dead);
                assertThat(event.metadata()).isEmpty();
            }
            // a marker event published after the sweep finished: every sweep event arrived before it
            String marker = UniqueIds.of("marker");
            RawXadd.xadd(
                    CLUSTER.redis(),
                    "im:events",
                    "{\"v\":1,\"type\":\"offline\",\"clientId\":\"" + marker
                            + "\",\"metadata\":\"\",\"node\":\"test\",\"reason\":\"marker\",\"ts\":1}");
            events.awaitFirst(PresenceEvent.OFFLINE, marker);
            assertThat(events.of(ghost1)).as("events of %s", ghost1).hasSize(1);
            assertThat(events.of(ghost2)).as("events of %s", ghost2).hasSize(1);

            assertThat(CLUSTER.redis().hexists("im:chan:" + room, ghost1))
                    .as("membership removed")
                    .isFalse();
            assertThat(CLUSTER.redis().exists("im:client:" + ghost1 + ":chans")).isFalse();
            assertThat(CLUSTER.redis().sismember("im:chans", room)).isFalse();
            assertThat(CLUSTER.redis().hexists("im:nodes", CLUSTER.entry(0)))
                    .as("live node 0 kept")
                    .isTrue();
            assertThat(CLUSTER.redis().hexists("im:nodes", CLUSTER.entry(1)))
                    .as("live node 1 kept")
                    .isTrue();
        }
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
