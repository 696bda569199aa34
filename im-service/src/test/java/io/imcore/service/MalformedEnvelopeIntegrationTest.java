package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawHttp;
import io.imcore.service.support.RawXadd;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;

/**
 * Garbage on the node's inbox and on {@code broadcast} (PROTOCOL.md: "a node ignores (and counts in a metric)
 * a Redis envelope with any other v, an unknown type or missing fields, and never crashes on one"): nothing
 * reaches the terminal, every bad envelope is counted in {@code im.envelopes.invalid}, the subscriber stays
 * subscribed and healthy, and a valid message published afterwards is still delivered.
 */
class MalformedEnvelopeIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String INVALID = "im.envelopes.invalid";

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode();

    static String inbox;

    @BeforeAll
    static void open() {
        inbox = "im:node:" + CLUSTER.entry(0);
    }

    /** Every envelope here is invalid and names {@code victim} (or its channel) where it names anyone. */
    private static List<String> garbage(String victim, String chan) {
        String to = "[\"" + victim + "\"]";
        String longId = "x".repeat(129);
        List<String> bad = new ArrayList<>(List.of(
                // not an envelope at all
                "not json",
                "",
                "   ",
                "{",
                "{\"v\":1,\"type\":\"msg\"",
                "null",
                "42",
                "\"a string\"",
                "[{\"v\":1,\"type\":\"kick\",\"clientId\":\"" + victim + "\"}]",
                "[]",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"" + victim + "\"} trailing",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"" + victim + "\"}{\"v\":1}",
                // versions
                "{\"v\":2,\"type\":\"kick\",\"clientId\":\"" + victim + "\"}",
                "{\"v\":0,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":\"1\",\"type\":\"kick\",\"clientId\":\"" + victim + "\"}",
                "{\"v\":1.5,\"type\":\"kick\",\"clientId\":\"" + victim + "\"}",
                "{\"v\":null,\"type\":\"kick\",\"clientId\":\"" + victim + "\"}",
                "{\"type\":\"kick\",\"clientId\":\"" + victim + "\"}",
                "{\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                // types
                "{\"v\":1,\"type\":\"shout\",\"clientId\":\"" + victim + "\"}",
                "{\"v\":1,\"type\":\"MSG\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"hello\",\"clientId\":\"" + victim + "\",\"node\":\"x\",\"heartbeat\":1}",
                "{\"v\":1,\"type\":\"ping\"}",
                "{\"v\":1,\"type\":null,\"clientId\":\"" + victim + "\"}",
                "{\"v\":1,\"type\":5,\"clientId\":\"" + victim + "\"}",
                "{\"v\":1,\"clientId\":\"" + victim + "\"}",
                // events belong on <P>events, not on a node's channels
                "{\"v\":1,\"type\":\"online\",\"clientId\":\"" + victim
                        + "\",\"metadata\":\"\",\"node\":\"x\",\"reason\":\"connect\",\"ts\":1}",
                "{\"v\":1,\"type\":\"offline\",\"clientId\":\"" + victim
                        + "\",\"metadata\":\"\",\"node\":\"x\",\"reason\":\"kick\",\"ts\":1}",
                // msg: missing fields
                "{\"v\":1,\"type\":\"msg\",\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"ts\":1}",
                // msg: wrong types and values
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":\"" + victim + "\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":{\"0\":\"" + victim
                        + "\"},\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to
                        + ",\"data\":1,\"ts\":\"yesterday\"}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":[1]}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to
                        + ",\"data\":1,\"receipt\":\"maybe\",\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"\",\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":null,\"from\":\"\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":null,\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":[\"a\"],\"to\":" + to + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[null],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":null,\"data\":1,\"ts\":1}",
                // msg: invalid client ids (the whole envelope is refused, valid receivers included)
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"" + victim
                        + "\",\"\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"" + victim + "\",\"" + longId
                        + "\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"" + victim
                        + "\",\"a\\u0000b\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"a\\u001fb\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"a\\u007fb\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"a\\nb\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":[\"a\u0001b\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"" + longId + "\",\"to\":" + to
                        + ",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"a\\tb\",\"to\":" + to + ",\"data\":1,\"ts\":1}",
                // chan
                "{\"v\":1,\"type\":\"chan\",\"from\":\"\",\"chan\":\"" + chan + "\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"chan\":\"" + chan + "\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"chan\":\"" + chan + "\",\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"chan\":[\"" + chan
                        + "\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"chan\":\"\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"chan\":\"" + "c".repeat(129)
                        + "\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"chan\":\"" + chan
                        + "\\u0000\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"g\",\"from\":\"\",\"chan\":\"" + chan
                        + "\",\"data\":1,\"ts\":\"soon\"}",
                // all
                "{\"v\":1,\"type\":\"all\",\"from\":\"\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"g\",\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"g\",\"from\":\"\",\"ts\":1}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"g\",\"from\":\"\",\"data\":1,\"ts\":{}}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"g\",\"from\":\"\\u007f\",\"data\":1,\"ts\":1}",
                // receipt
                "{\"v\":1,\"type\":\"receipt\",\"from\":\"bob\",\"to\":\"" + victim
                        + "\",\"status\":\"delivered\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"to\":\"" + victim
                        + "\",\"status\":\"delivered\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"bob\",\"status\":\"delivered\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"bob\",\"to\":\"" + victim + "\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"bob\",\"to\":\"" + victim
                        + "\",\"status\":\"read\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"bob\",\"to\":\"" + victim
                        + "\",\"status\":\"DELIVERED\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"bob\",\"to\":[\"" + victim
                        + "\"],\"status\":\"delivered\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"\",\"to\":\"" + victim
                        + "\",\"status\":\"offline\",\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"g\",\"from\":\"bob\",\"to\":\"" + victim
                        + "\",\"status\":\"offline\",\"ts\":\"x\"}",
                // kick
                "{\"v\":1,\"type\":\"kick\"}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"\"}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":null}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":[\"" + victim + "\"]}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":{\"id\":\"" + victim + "\"}}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"" + longId + "\"}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"" + victim + "\\u0000\"}",
                // join / leave
                "{\"v\":1,\"type\":\"join\",\"clientId\":\"" + victim + "\"}",
                "{\"v\":1,\"type\":\"join\",\"chans\":[\"" + chan + "\"]}",
                "{\"v\":1,\"type\":\"join\",\"clientId\":\"" + victim + "\",\"chans\":\"" + chan + "\"}",
                "{\"v\":1,\"type\":\"join\",\"clientId\":\"" + victim + "\",\"chans\":[\"\"]}",
                "{\"v\":1,\"type\":\"leave\",\"clientId\":\"" + victim + "\",\"chans\":[\"" + chan + "\",null]}",
                "{\"v\":1,\"type\":\"leave\",\"clientId\":\"\",\"chans\":[\"" + chan + "\"]}",
                "{\"v\":1,\"type\":\"leave\",\"clientId\":\"" + victim + "\",\"chans\":[\"" + "c".repeat(129)
                        + "\"]}"));
        // 1 MB: unterminated, and well-formed but of version 2
        String mega = "y".repeat(1024 * 1024);
        bad.add("{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":\"" + mega);
        bad.add("{\"v\":2,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":\"" + mega
                + "\",\"ts\":1}");
        bad.add("{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"data\":\"" + mega + "\",\"ts\":1}");
        // 10 000 levels of nesting: bare, and as the data of an otherwise valid message to the victim
        int depth = 10_000;
        bad.add("[".repeat(depth) + "]".repeat(depth));
        bad.add("{\"v\":1,\"type\":\"msg\",\"id\":\"g\",\"from\":\"\",\"to\":" + to + ",\"data\":"
                + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + ",\"ts\":1}");
        bad.add("{\"v\":1,\"type\":\"all\",\"id\":\"g\",\"from\":\"\",\"data\":" + "[".repeat(depth) + "]".repeat(depth)
                + ",\"ts\":1}");
        return bad;
    }

    @Test
    void garbageOnTheInboxAndBroadcastIsCountedAndIgnoredAndTheNodeKeepsWorking() throws Exception {
        String victim = CLUSTER.clientIdOn(0, UniqueIds.of("victim"));
        String chan = UniqueIds.of("victim-room");
        writeMembership(victim, chan);
        try (TestTerminal terminal = TestTerminal.connectReady(writeToken(victim))) {
            long before = invalidCount();
            long reconnects = CLUSTER.node(0)
                    .getEnvironment()
                    .metrics()
                    .counter("im.redis.subscriber.reconnects")
                    .getCount();
            List<String> bad = garbage(victim, chan);

            for (String envelope : bad) {
                RawXadd.xadd(CLUSTER.redis(), inbox, envelope);
                RawXadd.xadd(CLUSTER.redis(), "im:broadcast", envelope);
            }
            // bytes that are not UTF-8 at all
            byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, '{', '}', (byte) 0xc3};
            RawXadd.xadd(CLUSTER.redis(), inbox, notUtf8);
            RawXadd.xadd(CLUSTER.redis(), "im:broadcast", notUtf8);
            // entries without the field e, or with other fields only
            CLUSTER.redis().xadd(inbox, StreamEntryID.NEW_ENTRY, Map.of("x", "{}"));
            CLUSTER.redis().xadd("im:broadcast", StreamEntryID.NEW_ENTRY, Map.of("envelope", "{}", "f", "g"));
            long expected = 2L * bad.size() + 4;

            // a valid message on each channel, published after the garbage
            String msgId = UniqueIds.of("valid-msg");
            String allId = UniqueIds.of("valid-all");
            String chanId = UniqueIds.of("valid-chan");
            RawXadd.xadd(
                    CLUSTER.redis(),
                    inbox,
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"" + msgId
                            + "\",\"from\":\"\",\"to\":[\""
                            + victim + "\"],\"data\":\"still here\",\"ts\":1}");
            RawXadd.xadd(
                    CLUSTER.redis(),
                    "im:broadcast",
                    "{\"v\":1,\"type\":\"chan\",\"id\":\"" + chanId
                            + "\",\"from\":\"\","
                            + "\"chan\":\"" + chan + "\",\"data\":\"room still here\",\"ts\":1}");
            RawXadd.xadd(
                    CLUSTER.redis(),
                    "im:broadcast",
                    "{\"v\":1,\"type\":\"all\",\"id\":\"" + allId
                            + "\",\"from\":\"\","
                            + "\"data\":\"everyone still here\",\"ts\":1}");

            // the first frames after hello are the valid ones: the garbage sent nothing, kicked nothing
            JsonNode first = terminal.next();
            JsonNode second = terminal.next();
            JsonNode third = terminal.next();
            assertThat(List.of(
                            first.path("id").asText(),
                            second.path("id").asText(),
                            third.path("id").asText()))
                    .as("frames after hello: %s, %s, %s", first, second, third)
                    .containsExactly(msgId, chanId, allId);
            assertThat(first.path("data").asText()).isEqualTo("still here");
            assertThat(second.path("type").asText()).isEqualTo("chan");
            assertThat(third.path("type").asText()).isEqualTo("msg");
            assertThat(terminal.history())
                    .as("every frame the terminal ever got")
                    .hasSize(4);
            assertThat(terminal.isOpen()).isTrue();

            // the garbage was handled before the valid messages, so the count is final
            assertThat(invalidCount() - before).as("invalid envelopes counted").isEqualTo(expected);
            assertThat(adminInvalidCount()).isEqualTo(invalidCount());
            assertThat(CLUSTER.node(0)
                            .getEnvironment()
                            .metrics()
                            .counter("im.redis.subscriber.reconnects")
                            .getCount())
                    .as("the subscriber never lost its connection")
                    .isEqualTo(reconnects);
            assertHealthy();
        }
    }

    /**
     * PROTOCOL.md section 5 lets only {@code receipt} be omitted from a msg envelope; a msg without {@code ts} has
     * a missing field and must be ignored and counted like any other.
     */
    @Test
    void msgWithoutTsIsAnEnvelopeWithAMissingField() {
        String victim = CLUSTER.clientIdOn(0, UniqueIds.of("victim"));
        try (TestTerminal terminal = TestTerminal.connectReady(writeToken(victim))) {
            long before = invalidCount();
            RawXadd.xadd(
                    CLUSTER.redis(),
                    inbox,
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"no-ts\",\"from\":\"\",\"to\":[\""
                            + victim
                            + "\"],\"data\":\"no ts\"}");
            RawXadd.xadd(
                    CLUSTER.redis(),
                    "im:broadcast",
                    "{\"v\":1,\"type\":\"all\",\"id\":\"no-ts-all\",\"from\":\"\"," + "\"data\":\"no ts\"}");
            assertNextIsMarker(victim, terminal);
            assertThat(invalidCount() - before).isEqualTo(2);
        }
    }

    /**
     * Fields of the wrong JSON type are not the fields of the page: {@code "ts":"<digits>"} is a string, not
     * {@code <ms>}; {@code "receipt":"true"} is not a bool; a number is not a client id string.
     */
    @Test
    void scalarsOfTheWrongJsonTypeAreNotCoerced() {
        String victim = CLUSTER.clientIdOn(0, UniqueIds.of("victim"));
        try (TestTerminal terminal = TestTerminal.connectReady(writeToken(victim))) {
            long before = invalidCount();
            List<String> bad = List.of(
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"ts-string\",\"from\":\"\",\"to\":[\"" + victim
                            + "\"],\"data\":1,\"ts\":\"1700000000000\"}",
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"ts-decimal\",\"from\":\"\",\"to\":[\"" + victim
                            + "\"],\"data\":1,\"ts\":1.5}",
                    "{\"v\":1,\"type\":\"msg\",\"id\":\"receipt-string\",\"from\":\"\",\"to\":[\"" + victim
                            + "\"],\"data\":1,\"receipt\":\"true\",\"ts\":1}",
                    "{\"v\":1,\"type\":\"msg\",\"id\":7,\"from\":\"\",\"to\":[\"" + victim
                            + "\"],\"data\":1,\"ts\":1}");
            bad.forEach(envelope -> RawXadd.xadd(CLUSTER.redis(), inbox, envelope));
            assertNextIsMarker(victim, terminal);
            assertThat(invalidCount() - before).isEqualTo(bad.size());
        }
    }

    private static void assertNextIsMarker(String victim, TestTerminal terminal) {
        String marker = UniqueIds.of("marker");
        RawXadd.xadd(
                CLUSTER.redis(),
                inbox,
                "{\"v\":1,\"type\":\"msg\",\"id\":\"" + marker
                        + "\",\"from\":\"\",\"to\":[\""
                        + victim + "\"],\"data\":\"marker\",\"ts\":1}");
        JsonNode next = terminal.next();
        assertThat(next.path("id").asText())
                .as("the next frame should be the marker, was %s", next)
                .isEqualTo(marker);
    }

    private static long invalidCount() {
        return CLUSTER.node(0).getEnvironment().metrics().counter(INVALID).getCount();
    }

    private static long adminInvalidCount() throws IOException {
        HttpResponse<String> response =
                RawHttp.get("http://127.0.0.1:" + CLUSTER.node(0).getAdminPort() + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode count =
                JSON.readTree(response.body()).path("counters").path(INVALID).path("count");
        assertThat(count.isNumber()).as("%s in /metrics", INVALID).isTrue();
        return count.asLong();
    }

    private static void assertHealthy() throws IOException {
        await("healthy").atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> response =
                    RawHttp.get("http://127.0.0.1:" + CLUSTER.node(0).getAdminPort() + "/healthcheck");
            assertThat(response.statusCode())
                    .as("/healthcheck: %s", response.body())
                    .isEqualTo(200);
            JsonNode checks = JSON.readTree(response.body());
            assertThat(checks.path("redis").path("healthy").asBoolean()).isTrue();
            assertThat(checks.path("redis-subscriber").path("healthy").asBoolean())
                    .isTrue();
        });
    }

    private static String writeToken(String clientId) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        CLUSTER.redis()
                .set(
                        "im:token:" + token,
                        "{\"v\":1,\"clientId\":\"" + clientId + "\",\"metadata\":\"\"}",
                        SetParams.setParams().ex(30));
        return "ws://" + CLUSTER.entry(0) + "/ws?token=" + token;
    }

    private static void writeMembership(String clientId, String chan) {
        CLUSTER.redis().hset("im:chan:" + chan, clientId, Long.toString(System.currentTimeMillis()));
        CLUSTER.redis().sadd("im:client:" + clientId + ":chans", chan);
        CLUSTER.redis().sadd("im:chans", chan);
    }
}
