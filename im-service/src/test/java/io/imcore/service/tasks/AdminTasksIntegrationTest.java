package io.imcore.service.tasks;

import static io.imcore.service.support.AdminPort.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.client.EventBus;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.NodeCluster;
import io.imcore.testkit.TestTerminal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every admin task through the real admin port of a two-node cluster: alice (2 connections) on node 0, bob on
 * node 1, carol offline; alice in {@code lobby} and {@code room}, bob and carol in {@code room}. Read-only tasks
 * run first, then the refusals (which must change nothing), then broadcast and kick.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminTasksIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2);

    static final String ALICE = CLUSTER.clientIdOn(0, "alice");
    static final String BOB = CLUSTER.clientIdOn(1, "bob");
    static final String CAROL = CLUSTER.clientIdOn(0, "carol");
    static final List<TestTerminal> TERMINALS = new ArrayList<>();
    static final List<PresenceEvent> OFFLINE = new CopyOnWriteArrayList<>();

    static EventBus events;
    static AdminPort admin0;
    static AdminPort admin1;

    @BeforeAll
    static void cluster() throws InterruptedException {
        events = CLUSTER.client().eventBus(e -> {}, OFFLINE::add);
        assertThat(events.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
        admin0 = CLUSTER.admin();
        admin1 = CLUSTER.admin(1);
        TERMINALS.add(CLUSTER.connect(ALICE, "web"));
        TERMINALS.add(CLUSTER.connect(ALICE, "app"));
        TERMINALS.add(CLUSTER.connect(BOB, "web"));
        CLUSTER.client().joinChan(ALICE, "room");
        CLUSTER.client().joinChan(ALICE, "lobby");
        CLUSTER.client().joinChan(BOB, "room");
        CLUSTER.client().joinChan(CAROL, "room");
        // the nodes' leases carry their connection counts from the next refresh on (1 s in tests)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode nodes = admin0.taskJson("nodes", "").path("nodes");
            assertThat(nodes.get(0).path("connections").asLong()).isEqualTo(2);
            assertThat(nodes.get(1).path("connections").asLong()).isEqualTo(1);
        });
    }

    @AfterAll
    static void close() {
        TERMINALS.forEach(TestTerminal::close);
        events.close();
    }

    @Test
    @Order(1)
    void onlineClientsListsTheWholeClusterPagedAndByNode() {
        HttpResponse<String> response = admin1.task("online-clients", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode all = admin1.taskJson("online-clients", "");
        assertThat(all.path("count").asInt()).isEqualTo(2);
        assertThat(all.path("offset").asInt()).isZero();
        assertThat(all.path("limit").asInt()).isEqualTo(100);
        assertThat(all.path("clients").toString())
                .isEqualTo("[{\"clientId\":\"" + ALICE + "\",\"node\":\""
                        + CLUSTER.entry(0) + "\",\"connections\":2},{\"clientId\":\"" + BOB + "\",\"node\":\""
                        + CLUSTER.entry(1) + "\",\"connections\":1}]");

        JsonNode second = admin0.taskJson("online-clients", "limit=1&offset=1");
        assertThat(second.path("count").asInt()).isEqualTo(2);
        assertThat(ids(second.path("clients"))).containsExactly(BOB);
        JsonNode node1 = admin0.taskJson("online-clients", "node=" + enc(CLUSTER.entry(1)));
        assertThat(node1.path("count").asInt()).isEqualTo(1);
        assertThat(ids(node1.path("clients"))).containsExactly(BOB);

        HttpResponse<String> text = admin0.task("online-clients", "format=text");
        assertThat(text.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(text.body())
                .isEqualTo("online clients: 2 (offset 0, limit 100)\n"
                        + ALICE + "\t" + CLUSTER.entry(0) + "\t2 connection(s)\n"
                        + BOB + "\t" + CLUSTER.entry(1) + "\t1 connection(s)\n");
    }

    @Test
    @Order(2)
    void clientShowsPresenceNodeConnectionsAndChannels() {
        JsonNode alice = admin1.taskJson("client", "id=" + enc(ALICE));
        assertThat(alice.path("clientId").asText()).isEqualTo(ALICE);
        assertThat(alice.path("online").asBoolean()).isTrue();
        assertThat(alice.path("node").asText()).isEqualTo(CLUSTER.entry(0));
        assertThat(alice.path("nodeAlive").asBoolean()).isTrue();
        assertThat(alice.path("connections").asLong()).isEqualTo(2);
        assertThat(alice.path("channels").toString()).isEqualTo("[\"lobby\",\"room\"]");

        JsonNode carol = admin0.taskJson("client", "id=" + enc(CAROL));
        assertThat(carol.path("online").asBoolean()).isFalse();
        assertThat(carol.path("connections").asLong()).isZero();
        assertThat(carol.path("channels").toString()).isEqualTo("[\"room\"]");

        assertThat(admin0.task("client", "id=" + enc(ALICE) + "&format=text").body())
                .isEqualTo("client: " + ALICE + "\nonline: true\nnode: " + CLUSTER.entry(0)
                        + " (alive)\nconnections: 2\nchannels: lobby, room\n");
    }

    @Test
    @Order(3)
    void channelsAndChannelShowMembersAndWhoIsOnline() {
        JsonNode channels = admin0.taskJson("channels", "");
        assertThat(channels.path("count").asInt()).isEqualTo(2);
        assertThat(channels.path("channels").toString())
                .isEqualTo(
                        "[{\"chan\":\"lobby\",\"members\":1,\"online\":1},{\"chan\":\"room\",\"members\":3,\"online\":2}]");
        assertThat(admin0.taskJson("channels", "offset=1")
                        .path("channels")
                        .get(0)
                        .path("chan")
                        .asText())
                .isEqualTo("room");
        assertThat(admin0.task("channels", "format=text&limit=1").body())
                .isEqualTo("channels: 2 (offset 0, limit 1)\nlobby\t1 member(s)\t1 online\n");

        JsonNode room = admin1.taskJson("channel", "name=room");
        assertThat(room.path("chan").asText()).isEqualTo("room");
        assertThat(room.path("count").asInt()).isEqualTo(3);
        assertThat(room.path("online").asInt()).isEqualTo(2);
        JsonNode members = room.path("members");
        assertThat(ids(members)).containsExactly(ALICE, BOB, CAROL);
        assertThat(members.get(0).path("online").asBoolean()).isTrue();
        assertThat(members.get(1).path("online").asBoolean()).isTrue();
        assertThat(members.get(2).path("online").asBoolean()).isFalse();
        assertThat(members.get(2).path("joinedAt").asLong()).isPositive();
        assertThat(ids(admin1.taskJson("channel", "name=room&offset=2&limit=2").path("members")))
                .containsExactly(CAROL);
        assertThat(admin1.task("channel", "name=room&format=text").body())
                .startsWith(
                        "channel: room, 3 member(s), 2 online (offset 0, limit 100)\n" + ALICE + "\tonline\tjoined ")
                .contains("\n" + CAROL + "\toffline\tjoined ");
    }

    @Test
    @Order(4)
    void nodesShowsEveryServerWithItsStateAndConnections() {
        JsonNode answer = admin1.taskJson("nodes", "");
        assertThat(answer.path("self").asText()).isEqualTo(CLUSTER.entry(1));
        assertThat(answer.path("servers").asInt()).isEqualTo(2);
        assertThat(answer.path("alive").asInt()).isEqualTo(2);
        JsonNode first = answer.path("nodes").get(0);
        assertThat(first.path("index").asInt()).isZero();
        assertThat(first.path("entry").asText()).isEqualTo(CLUSTER.entry(0));
        assertThat(first.path("self").asBoolean()).isFalse();
        assertThat(first.path("state").asText()).isEqualTo("alive");
        assertThat(first.path("connections").asLong()).isEqualTo(2);
        assertThat(first.path("seenAgoMs").asLong()).isBetween(0L, 15_000L);
        assertThat(answer.path("nodes").get(1).path("self").asBoolean()).isTrue();
        assertThat(admin1.task("nodes", "format=text").body())
                .startsWith("nodes: 2 of 2 alive (this node: " + CLUSTER.entry(1) + ")\n0\t" + CLUSTER.entry(0)
                        + "\talive\t2 connection(s)\tseen ")
                .contains("\n1\t" + CLUSTER.entry(1) + "\talive\t1 connection(s)\tseen ")
                .endsWith("\t(self)\n");
    }

    @Test
    @Order(5)
    void badParametersAreRefusedWith400AndAOneLineReasonAndChangeNothing() {
        String tooLong = "x".repeat(129);
        String[][] cases = {
            {"online-clients", "limit=0", "limit must be between 1 and 10000, was 0"},
            {"online-clients", "offset=-1", "offset must be between 0 and 2147483647, was -1"},
            {"online-clients", "node=nowhere%3A1", "node must be one of " + CLUSTER.servers() + ", was 'nowhere:1'"},
            {"online-clients", "format=xml", "format must be json or text, was 'xml'"},
            {"client", "", "missing parameter 'id'"},
            {"client", "id=%01", "id: clientId must not contain control characters (found U+0001 at index 0)"},
            {"client", "id=a&id=b", "parameter 'id' given 2 times; give it once"},
            {"channels", "limit=x", "limit must be an integer, was 'x'"},
            {"channel", "", "missing parameter 'name'"},
            {"channel", "name=" + tooLong, "name: channel name must be at most 128 characters, was 129"},
            {"nodes", "verbose=1", "unknown parameter 'verbose': nodes takes format"},
            {"kick", "", "missing parameter 'id'"},
            {"kick", "id=", "parameter 'id' must not be empty"},
            {"kick", "user=" + enc(BOB), "unknown parameter 'user': kick takes format, id"},
            {"kick", "id=" + tooLong, "id: clientId must be at most 128 characters, was 129"},
            {"broadcast", "", "missing parameter 'message'"},
            {"broadcast", "message=%20%20", "message must not be blank"},
            {"broadcast", "message=" + "m".repeat(4097), "message must be at most 4096 characters, was 4097"},
            {"drain", "period=soon", "period must be a duration such as 30s or 2m, was 'soon'"},
            {"drain", "period=2h", "period must be between 0 seconds and 1 hour, was 2 hours"},
            {"drain", "period=10s&now=1", "unknown parameter 'now': drain takes format, period"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = admin0.task(c[0], c[1]);
            assertThat(response.statusCode()).as("%s?%s", c[0], c[1]).isEqualTo(400);
            assertThat(response.body()).as("%s?%s", c[0], c[1]).isEqualTo(c[2] + "\n");
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        }

        // nothing changed: no one was kicked or got a frame, node 0 still accepts connections
        assertThat(TERMINALS).allMatch(TestTerminal::isOpen);
        TERMINALS.forEach(terminal -> assertThat(terminal.pending()).isEmpty());
        assertThat(admin0.health().path("cluster").path("healthy").asBoolean()).isTrue();
        try (TestTerminal another = CLUSTER.connect(CLUSTER.clientIdOn(0, "eve"), "")) {
            assertThat(another.isOpen()).isTrue();
        }
    }

    @Test
    @Order(6)
    void broadcastReachesEveryConnectionOfEveryNode() {
        String notice = "maintenance at 22:00 — back in 5 min";
        JsonNode answer = admin1.taskJson("broadcast", "message=" + enc(notice));
        String id = answer.path("id").asText();
        assertThat(answer.path("ts").asLong()).isPositive();
        for (TestTerminal terminal : TERMINALS) {
            JsonNode msg = terminal.next("msg");
            assertThat(msg.path("id").asText()).isEqualTo(id);
            assertThat(msg.path("from").asText()).isEmpty();
            assertThat(msg.path("data").isTextual()).isTrue();
            assertThat(msg.path("data").asText()).isEqualTo(notice);
        }

        HttpResponse<String> form = admin0.taskForm("broadcast", "message=" + enc("second notice") + "&format=text");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).matches("broadcast [A-Za-z0-9_-]{22} published\n");
        for (TestTerminal terminal : TERMINALS) {
            assertThat(terminal.next("msg").path("data").asText()).isEqualTo("second notice");
        }
    }

    @Test
    @Order(7)
    void kickClosesTheClientOnItsNodeFromAnyAdminPort() {
        String dave = CLUSTER.clientIdOn(1, "dave");
        TestTerminal terminal = CLUSTER.connect(dave, "d");

        JsonNode answer = admin0.taskJson("kick", "id=" + enc(dave));
        assertThat(answer.path("clientId").asText()).isEqualTo(dave);
        assertThat(answer.path("node").asText()).isEqualTo(CLUSTER.entry(1));
        assertThat(answer.path("connections").asLong()).isEqualTo(1);
        assertThat(terminal.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> OFFLINE.stream().anyMatch(e -> e.clientId().equals(dave)));
        assertThat(OFFLINE)
                .filteredOn(e -> e.clientId().equals(dave))
                .singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(PresenceEvent.REASON_KICK));

        assertThat(admin0.task("kick", "id=" + enc(dave) + "&format=text").body())
                .isEqualTo("kick of " + dave + " sent to " + CLUSTER.entry(1) + " (0 connection(s) online)\n");
        assertThat(TERMINALS).allMatch(TestTerminal::isOpen);
    }

    @Test
    @Order(8)
    void aTaskRequestFromAForeignWebPageIsRefusedWith403AndChangesNothing() {
        String erin = CLUSTER.clientIdOn(0, "erin");
        TestTerminal terminal = TestTerminal.connectReady(CLUSTER.client().prevConnectServer(erin, "e"));

        for (String origin : List.of(
                "http://evil.example",
                "null",
                "http://evil.example:" + CLUSTER.node(0).getAdminPort())) {
            HttpResponse<String> refused = admin0.taskFromPage(origin, "kick", "id=" + enc(erin));
            assertThat(refused.statusCode()).as(origin).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(refused.body())
                    .isEqualTo("task requests from web pages are refused (Origin: " + origin
                            + "); use curl or another client that sends no Origin header\n");
        }
        assertThat(admin0.taskFromPage("http://evil.example", "drain", "").statusCode())
                .isEqualTo(403);
        assertThat(terminal.isOpen()).isTrue();
        assertThat(admin0.health().path("cluster").path("healthy").asBoolean())
                .as("not draining")
                .isTrue();

        // the admin port's own origin (a page it served itself) is not foreign
        assertThat(admin0.taskFromPage(admin0.origin(), "kick", "id=" + enc(erin))
                        .statusCode())
                .isEqualTo(200);
        assertThat(terminal.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(n -> n.path("clientId").asText())
                .toList();
    }
}
