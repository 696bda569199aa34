package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawXadd;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.StreamRecorder;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.params.SetParams;

/**
 * A publisher that is not Java: every key, token and envelope below is written with plain Redis commands and
 * hand-written JSON exactly as PROTOCOL.md spells it (no im-protocol or im-client class), and every frame and
 * event is checked field by field against the page.
 */
class RawPublisherIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long TS = 1_700_000_000_123L;

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().override("websocket.heartbeat", "5s");

    static String entry;
    static String inbox;

    @BeforeAll
    static void open() {
        entry = CLUSTER.entry(0);
        inbox = "im:node:" + entry;
    }

    /** PROTOCOL.md section 2, step 1, by hand: {@code SET im:token:<token> <json> EX 30}; returns the URL. */
    private static String writeToken(String clientId, String metadataJsonString) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        String value = "{\"v\":1,\"clientId\":\"" + clientId + "\",\"metadata\":" + metadataJsonString + "}";
        assertThat(CLUSTER.redis()
                        .set("im:token:" + token, value, SetParams.setParams().ex(30)))
                .isEqualTo("OK");
        return "ws://" + entry + "/ws?token=" + token;
    }

    private static TestTerminal connect(String clientId) {
        TestTerminal terminal = TestTerminal.connect(writeToken(clientId, "\"\""));
        assertExactly(
                terminal.nextRaw(),
                "{\"v\":1,\"type\":\"hello\",\"clientId\":\"" + clientId + "\",\"node\":\"" + entry
                        + "\",\"heartbeat\":5}");
        return terminal;
    }

    private static void publish(String channel, String json) {
        RawXadd.xadd(CLUSTER.redis(), channel, json);
    }

    /** A system message to {@code clientId} published by hand; asserts it is the terminal's very next frame. */
    private static void assertNextIsMarker(String clientId, TestTerminal terminal) {
        String id = UniqueIds.of("marker");
        publish(
                inbox,
                "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"\",\"to\":[\"" + clientId
                        + "\"],\"data\":\"marker\",\"ts\":" + TS + "}");
        assertExactly(
                terminal.nextRaw(),
                "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"\",\"data\":\"marker\",\"ts\":" + TS + "}");
    }

    @Test
    void handWrittenTokenConnectsOnceAndIsConsumed() {
        String alice = UniqueIds.of("raw-tok");
        String url = writeToken(alice, "\"web\"");
        String token = url.substring(url.indexOf("=") + 1);
        assertThat(CLUSTER.redis().ttl("im:token:" + token)).isBetween(1L, 30L);
        try (TestTerminal terminal = TestTerminal.connect(url)) {
            assertExactly(
                    terminal.nextRaw(),
                    "{\"v\":1,\"type\":\"hello\",\"clientId\":\"" + alice + "\",\"node\":\"" + entry
                            + "\",\"heartbeat\":5}");
            assertThat(CLUSTER.redis().exists("im:token:" + token))
                    .as("GETDEL consumed the token")
                    .isFalse();
            assertThat(CLUSTER.redis().hget("im:node:" + entry + ":online", alice))
                    .isEqualTo("1");
            JsonNode lease = parse(CLUSTER.redis().hget("im:nodes", entry));
            assertThat(fieldNames(lease))
                    .containsExactlyInAnyOrder("v", "startedAt", "seenAt", "connections", "routing", "allow");
            assertThat(lease.path("routing").asText()).isEqualTo("hrw-sha256/1");
            assertThat(lease.path("v").asInt()).isEqualTo(1);
            assertThat(lease.path("seenAt").asLong())
                    .isGreaterThanOrEqualTo(lease.path("startedAt").asLong());
            assertThat(TestTerminal.refusalStatus(url)).as("a reused token").isEqualTo(401);
        }
    }

    @Test
    void msgWithoutReceiptArrivesWithItsDataExactlyAsPublished() {
        String alice = UniqueIds.of("raw-alice");
        String bob = UniqueIds.of("raw-bob");
        try (TestTerminal a = connect(alice);
                TestTerminal b = connect(bob)) {
            // data of every JSON kind, written compactly so the frame must carry the same bytes
            List<String> datas = List.of(
                    "\"plain text with \\\"quotes\\\", a backslash \\\\ and unicode: héllo ✓ 你好\"",
                    "{\"text\":\"hi\",\"n\":1.50,\"big\":123456789012345678901234567890,"
                            + "\"list\":[1,true,null,{\"x\":\"y\"}],\"nested\":{\"a\":{\"b\":[]}}}",
                    "[1,\"two\",{\"three\":3}]",
                    "42",
                    "\"{\\\"looks\\\":\\\"like json\\\"}\"",
                    "\"\"");
            int n = 0;
            for (String data : datas) {
                String id = "m-" + (++n) + "-" + bob;
                String receipt = n % 2 == 0 ? ",\"receipt\":false" : ""; // omitted or explicitly false
                publish(
                        inbox,
                        "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"" + alice + "\",\"to\":[\"" + bob
                                + "\"],\"data\":" + data + receipt + ",\"ts\":" + TS + "}");
                String frame = b.nextRaw();
                assertExactly(
                        frame,
                        "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"" + alice + "\",\"data\":" + data
                                + ",\"ts\":" + TS + "}");
                assertThat(frame).as("data bytes passed through").contains("\"data\":" + data + ",");
            }
            // no receipt asked, none sent: the sender's next frame is a later marker
            assertNextIsMarker(alice, a);
            assertNextIsMarker(bob, b);
        }
    }

    @Test
    void msgWithReceiptGivesTheSenderOneReceiptPerReceiver() {
        String alice = UniqueIds.of("raw-alice");
        String bob = UniqueIds.of("raw-bob");
        String nobody = UniqueIds.of("raw-nobody");
        try (StreamRecorder inboxes = StreamRecorder.start(CLUSTER.redisServer(), inbox);
                TestTerminal a = connect(alice);
                TestTerminal b = connect(bob)) {
            String id = UniqueIds.of("m-rcpt");
            publish(
                    inbox,
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"" + alice + "\",\"to\":[\"" + bob
                            + "\",\"" + nobody + "\"],\"data\":{\"text\":\"hi\"},\"receipt\":true,\"ts\":" + TS + "}");

            assertExactly(
                    b.nextRaw(),
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"" + alice
                            + "\",\"data\":{\"text\":\"hi\"},\"ts\":" + TS + "}");
            long before = System.currentTimeMillis() - 60_000;
            JsonNode first = parse(a.nextRaw());
            JsonNode second = parse(a.nextRaw());
            JsonNode delivered = first.path("to").asText().equals(bob) ? first : second;
            JsonNode offline = delivered == first ? second : first;
            assertReceiptFrame(delivered, id, bob, "delivered", before);
            assertReceiptFrame(offline, id, nobody, "offline", before);
            assertNextIsMarker(alice, a);

            // the node published each receipt as a receipt envelope to the sender's node inbox
            inboxes.sync();
            List<String> receipts = inboxes.on(inbox).stream()
                    .filter(body -> body.contains("\"type\":\"receipt\"") && body.contains(id))
                    .toList();
            assertThat(receipts).hasSize(2);
            for (String body : receipts) {
                JsonNode envelope = parse(body);
                assertThat(fieldNames(envelope))
                        .containsExactlyInAnyOrder("v", "type", "id", "from", "to", "status", "ts");
                assertThat(envelope.path("v").isInt()).isTrue();
                assertThat(envelope.path("v").asInt()).isEqualTo(1);
                assertThat(envelope.path("id").asText()).isEqualTo(id);
                assertThat(envelope.path("to").asText()).isEqualTo(alice);
                String receiver = envelope.path("from").asText();
                assertThat(receiver).isIn(bob, nobody);
                assertThat(envelope.path("status").asText()).isEqualTo(receiver.equals(bob) ? "delivered" : "offline");
                assertThat(envelope.path("ts").isIntegralNumber()).isTrue();
            }
        }
    }

    @Test
    void systemMessageWithReceiptTrueGivesNoReceipt() {
        String bob = UniqueIds.of("raw-bob");
        try (StreamRecorder inboxes = StreamRecorder.start(CLUSTER.redisServer(), inbox);
                TestTerminal b = connect(bob)) {
            String id = UniqueIds.of("m-sys");
            publish(
                    inbox,
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"\",\"to\":[\"" + bob
                            + "\"],\"data\":\"system\",\"receipt\":true,\"ts\":" + TS + "}");
            assertExactly(
                    b.nextRaw(),
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"" + id + "\",\"from\":\"\",\"data\":\"system\",\"ts\":" + TS
                            + "}");
            assertNextIsMarker(bob, b);
            inboxes.sync();
            assertThat(inboxes.on(inbox, id))
                    .as("only the message itself, no receipt envelope")
                    .hasSize(1);
        }
    }

    @Test
    void receiptEnvelopeBecomesAReceiptFrame() {
        String alice = UniqueIds.of("raw-alice");
        String bob = UniqueIds.of("raw-bob");
        try (TestTerminal a = connect(alice)) {
            publish(
                    inbox,
                    "{\"v\":1,\"type\":\"receipt\",\"id\":\"r-1\",\"from\":\"" + bob + "\",\"to\":\"" + alice
                            + "\",\"status\":\"offline\",\"ts\":" + TS + "}");
            publish(
                    inbox,
                    "{\"v\":1,\"type\":\"receipt\",\"id\":\"r-2\",\"from\":\"" + bob + "\",\"to\":\"" + alice
                            + "\",\"status\":\"delivered\",\"ts\":" + (TS + 1) + "}");
            assertExactly(
                    a.nextRaw(),
                    "{\"v\":1,\"type\":\"receipt\",\"id\":\"r-1\",\"to\":\"" + bob + "\",\"status\":\"offline\",\"ts\":"
                            + TS + "}");
            assertExactly(
                    a.nextRaw(),
                    "{\"v\":1,\"type\":\"receipt\",\"id\":\"r-2\",\"to\":\"" + bob
                            + "\",\"status\":\"delivered\",\"ts\":" + (TS + 1) + "}");
        }
    }

    @Test
    void chanMessageReachesMembersJoinedByHandAndNotOthers() {
        String chan = UniqueIds.of("raw-room");
        String bob = UniqueIds.of("raw-bob");
        String carol = UniqueIds.of("raw-carol");
        String alice = UniqueIds.of("raw-alice");
        // carol joins while offline: the keys only, no envelope; the node loads them when she connects
        writeMembership(carol, chan);
        try (TestTerminal a = connect(alice);
                TestTerminal b = connect(bob);
                TestTerminal c = connect(carol)) {
            writeMembership(bob, chan);
            publish(inbox, "{\"v\":1,\"type\":\"join\",\"clientId\":\"" + bob + "\",\"chans\":[\"" + chan + "\"]}");

            publish(
                    "im:broadcast",
                    "{\"v\":1,\"type\":\"chan\",\"id\":\"c-1\",\"from\":\"" + alice + "\",\"chan\":\"" + chan
                            + "\",\"data\":{\"k\":[1,2.50]},\"ts\":" + TS + "}");

            String expected = "{\"v\":1,\"type\":\"chan\",\"id\":\"c-1\",\"chan\":\"" + chan + "\",\"from\":\"" + alice
                    + "\",\"data\":{\"k\":[1,2.50]},\"ts\":" + TS + "}";
            String toBob = b.nextRaw();
            assertExactly(toBob, expected);
            assertThat(toBob).contains("\"data\":{\"k\":[1,2.50]},");
            assertExactly(c.nextRaw(), expected);
            assertNextIsMarker(alice, a);

            // bob leaves by hand: the keys, then the leave envelope
            CLUSTER.redis().hdel("im:chan:" + chan, bob);
            CLUSTER.redis().srem("im:client:" + bob + ":chans", chan);
            publish(inbox, "{\"v\":1,\"type\":\"leave\",\"clientId\":\"" + bob + "\",\"chans\":[\"" + chan + "\"]}");
            publish(
                    "im:broadcast",
                    "{\"v\":1,\"type\":\"chan\",\"id\":\"c-2\",\"from\":\"\",\"chan\":\"" + chan
                            + "\",\"data\":\"after the leave\",\"ts\":" + TS + "}");
            assertExactly(
                    c.nextRaw(),
                    "{\"v\":1,\"type\":\"chan\",\"id\":\"c-2\",\"chan\":\"" + chan
                            + "\",\"from\":\"\",\"data\":\"after the leave\",\"ts\":" + TS + "}");
            assertNextIsMarker(bob, b);
        }
    }

    @Test
    void allEnvelopeReachesEveryConnectionAsAMsgFrame() {
        String alice = UniqueIds.of("raw-alice");
        String bob = UniqueIds.of("raw-bob");
        try (TestTerminal a = connect(alice);
                TestTerminal b = connect(bob);
                TestTerminal b2 = connect(bob)) {
            publish(
                    "im:broadcast",
                    "{\"v\":1,\"type\":\"all\",\"id\":\"all-" + bob + "\",\"from\":\"\","
                            + "\"data\":{\"notice\":\"maintenance at 22:00\"},\"ts\":" + TS + "}");
            String expected = "{\"v\":1,\"type\":\"msg\",\"id\":\"all-" + bob + "\",\"from\":\"\","
                    + "\"data\":{\"notice\":\"maintenance at 22:00\"},\"ts\":" + TS + "}";
            for (TestTerminal terminal : List.of(a, b, b2)) {
                assertExactly(terminal.nextRaw(), expected);
            }
        }
    }

    @Test
    void kickClosesEveryConnectionWith1008AndPublishesOneOfflineEvent() {
        String dave = UniqueIds.of("raw-dave");
        try (StreamRecorder events = StreamRecorder.start(CLUSTER.redisServer(), "im:events")) {
            TestTerminal first = TestTerminal.connect(writeToken(dave, "\"{\\\"device\\\":\\\"web\\\"}\""));
            first.next();
            TestTerminal second = TestTerminal.connect(writeToken(dave, "\"app\""));
            second.next();

            publish(inbox, "{\"v\":1,\"type\":\"kick\",\"clientId\":\"" + dave + "\"}");

            assertThat(first.awaitCloseCode()).isEqualTo(1008);
            assertThat(second.awaitCloseCode()).isEqualTo(1008);
            String offline = events.awaitOn("im:events", quoted(dave), "\"offline\"");
            assertEvent(offline, "offline", dave, null, "kick");
            events.sync();
            List<String> all = events.on("im:events", quoted(dave));
            assertThat(all)
                    .as("one online and one offline event, not one per connection")
                    .hasSize(2);
            assertEvent(all.get(0), "online", dave, "{\"device\":\"web\"}", "connect");
            assertThat(parse(all.get(1)).path("metadata").asText()).isIn("{\"device\":\"web\"}", "app");
        }
    }

    @Test
    void onlineAndOfflineEventsHaveExactlyTheFieldsOfThePage() {
        String erin = UniqueIds.of("raw-erin");
        try (StreamRecorder events = StreamRecorder.start(CLUSTER.redisServer(), "im:events")) {
            long before = System.currentTimeMillis();
            TestTerminal terminal = TestTerminal.connect(writeToken(erin, "\"tab-1 ✓\""));
            terminal.next();
            assertEvent(events.awaitOn("im:events", quoted(erin), "\"online\""), "online", erin, "tab-1 ✓", "connect");

            terminal.close();
            assertThat(terminal.awaitCloseCode()).isEqualTo(1000);
            String offline = events.awaitOn("im:events", quoted(erin), "\"offline\"");
            assertEvent(offline, "offline", erin, "tab-1 ✓", "disconnect");
            long after = System.currentTimeMillis();
            for (String event : events.on("im:events", quoted(erin))) {
                assertThat(parse(event).path("ts").asLong()).isBetween(before, after);
            }
            events.sync();
            assertThat(events.on("im:events", quoted(erin))).hasSize(2);
            assertThat(CLUSTER.redis().hexists("im:node:" + entry + ":online", erin))
                    .isFalse();
        }
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static void writeMembership(String clientId, String chan) {
        CLUSTER.redis().hset("im:chan:" + chan, clientId, Long.toString(System.currentTimeMillis()));
        CLUSTER.redis().sadd("im:client:" + clientId + ":chans", chan);
        CLUSTER.redis().sadd("im:chans", chan);
    }

    private static void assertEvent(String raw, String type, String clientId, String metadata, String reason) {
        JsonNode event = parse(raw);
        assertThat(fieldNames(event))
                .as("fields of %s", raw)
                .containsExactlyInAnyOrder("v", "type", "clientId", "metadata", "node", "reason", "ts");
        assertThat(event.path("v").isInt()).isTrue();
        assertThat(event.path("v").asInt()).isEqualTo(1);
        assertThat(event.path("type").asText()).isEqualTo(type);
        assertThat(event.path("clientId").asText()).isEqualTo(clientId);
        if (metadata != null) {
            assertThat(event.path("metadata").isTextual()).isTrue();
            assertThat(event.path("metadata").asText()).isEqualTo(metadata);
        }
        assertThat(event.path("node").asText()).isEqualTo(entry);
        assertThat(event.path("reason").asText()).isEqualTo(reason);
        assertThat(event.path("ts").isIntegralNumber()).isTrue();
    }

    private static void assertReceiptFrame(JsonNode frame, String id, String to, String status, long notBefore) {
        assertThat(fieldNames(frame)).containsExactlyInAnyOrder("v", "type", "id", "to", "status", "ts", "seq");
        assertThat(frame.path("v").asInt()).isEqualTo(1);
        assertThat(frame.path("type").asText()).isEqualTo("receipt");
        assertThat(frame.path("id").asText()).isEqualTo(id);
        assertThat(frame.path("to").asText()).isEqualTo(to);
        assertThat(frame.path("status").asText()).isEqualTo(status);
        assertThat(frame.path("ts").asLong()).isGreaterThan(notBefore);
    }

    /**
     * The frame has exactly the fields and values of {@code expected} (JSON equality, any field order), plus the
     * fields of PROTOCOL.md section 3.1 it must carry, checked here by type: {@code session}, {@code seq} and
     * {@code resumed} on hello, a positive {@code seq} on msg, chan and receipt.
     */
    private static void assertExactly(String frame, String expected) {
        com.fasterxml.jackson.databind.node.ObjectNode actual =
                (com.fasterxml.jackson.databind.node.ObjectNode) parse(frame);
        String type = actual.path("type").asText();
        if (type.equals("hello")) {
            assertThat(actual.path("session").asText()).as("frame %s", frame).isNotEmpty();
            assertThat(actual.path("seq").isIntegralNumber())
                    .as("frame %s", frame)
                    .isTrue();
            assertThat(actual.path("resumed").isBoolean()).as("frame %s", frame).isTrue();
            actual.remove(List.of("session", "seq", "resumed"));
        } else if (List.of("msg", "chan", "receipt").contains(type)) {
            assertThat(actual.path("seq").isIntegralNumber()
                            && actual.path("seq").asLong() > 0)
                    .as("frame %s", frame)
                    .isTrue();
            actual.remove("seq");
        }
        assertThat((JsonNode) actual).as("frame %s", frame).isEqualTo(parse(expected));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        assertThat(node).isInstanceOf(ObjectNode.class);
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
