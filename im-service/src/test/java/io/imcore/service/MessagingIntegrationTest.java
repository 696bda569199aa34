package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.imcore.client.ImClient;
import io.imcore.client.ImInvalidArgumentException;
import io.imcore.protocol.Codec;
import io.imcore.service.support.Markers;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point-to-point and broadcast messages through {@link ImClient} on one node (PROTOCOL.md sections 3 and 5):
 * data delivered exactly as published, every connection of a receiver served, receipts as promised.
 */
class MessagingIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode();

    private static TestTerminal connect(String clientId) {
        return CLUSTER.connect(clientId, "");
    }

    /** Sends {@code data} as a system message to a fresh terminal and returns the raw text of the msg frame. */
    private static String deliveredRaw(Object data) {
        String bob = UniqueIds.of("bob");
        try (TestTerminal terminal = connect(bob)) {
            String id = CLUSTER.client().sendMessage("", List.of(bob), data);
            String raw = terminal.nextRaw();
            JsonNode frame = parse(raw);
            assertThat(frame.path("type").asText()).as("frame %s", raw).isEqualTo("msg");
            assertThat(frame.path("id").asText()).isEqualTo(id);
            return raw;
        }
    }

    // ---- data is delivered exactly as published

    @Test
    void aStringArrivesAsAJsonStringNotDoubleEncoded() {
        String raw = deliveredRaw("hello world");

        assertThat(raw).containsPattern("\"data\":\"hello world\"[,}]");
        assertThat(parse(raw).get("data").isTextual()).isTrue();
    }

    @Test
    void aStringHoldingJsonStaysAString() {
        String raw = deliveredRaw("{\"a\":1}");

        JsonNode data = parse(raw).get("data");
        assertThat(data.isTextual()).as("data %s", data).isTrue();
        assertThat(data.asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void decimalsKeepTheirExactTextIncludingTrailingZeros() {
        assertThat(deliveredRaw(new BigDecimal("1.10"))).containsPattern("\"data\":1\\.10[,}]");
        assertThat(deliveredRaw(json("1.10"))).containsPattern("\"data\":1\\.10[,}]");
        assertThat(deliveredRaw(json("-0.000000000000000000000001")))
                .containsPattern("\"data\":-1E-24[,}]|\"data\":-0\\.000000000000000000000001[,}]");
    }

    @Test
    void integersBeyondDoublePrecisionKeepEveryDigit() {
        assertThat(deliveredRaw(new BigInteger("123456789012345678901234567890")))
                .containsPattern("\"data\":123456789012345678901234567890[,}]");
        assertThat(deliveredRaw(9007199254740993L)).containsPattern("\"data\":9007199254740993[,}]");
        assertThat(deliveredRaw(json("18446744073709551617"))).containsPattern("\"data\":18446744073709551617[,}]");
        assertThat(deliveredRaw(42)).containsPattern("\"data\":42[,}]");
    }

    @Test
    void anObjectArrivesAsTheSameObject() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("flag", true);
        nested.put("none", null);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", "hi");
        message.put("price", new BigDecimal("1.10"));
        message.put("count", 3);
        message.put("nested", nested);
        message.put("list", List.of("a", "b"));

        String raw = deliveredRaw(message);

        assertThat(parse(raw).get("data"))
                .isEqualTo(json("{\"text\":\"hi\",\"price\":1.10,\"count\":3,\"nested\":{\"flag\":true,\"none\":null},"
                        + "\"list\":[\"a\",\"b\"]}"));
        assertThat(raw).contains("\"price\":1.10");
    }

    @Test
    void anArrayArrivesAsTheSameArray() {
        String raw = deliveredRaw(Arrays.asList(1, "two", true, null, List.of(), Map.of()));

        assertThat(parse(raw).get("data")).isEqualTo(json("[1,\"two\",true,null,[],{}]"));
    }

    @Test
    void unicodeIncludingAstralCharactersIsPreserved() {
        String text = "héllo 世界 🎉";
        String raw = deliveredRaw(text);

        assertThat(parse(raw).get("data").asText()).isEqualTo(text);
        assertThat(parse(deliveredRaw(Map.of("t", text))).get("data").get("t").asText())
                .isEqualTo(text);
    }

    @Test
    void jsonNullIsDeliveredAsNullWhileAJavaNullIsRejectedByTheClient() {
        assertThat(deliveredRaw(NullNode.getInstance())).containsPattern("\"data\":null[,}]");

        assertThatThrownBy(() -> CLUSTER.client().sendMessage("", List.of("bob"), null))
                .isInstanceOf(ImInvalidArgumentException.class);
    }

    @Test
    void booleansAndEmptyValuesArriveUnchanged() {
        assertThat(deliveredRaw(false)).containsPattern("\"data\":false[,}]");
        assertThat(deliveredRaw("")).containsPattern("\"data\":\"\"[,}]");
        assertThat(deliveredRaw(Map.of())).containsPattern("\"data\":\\{}[,}]");
        assertThat(deliveredRaw(List.of())).containsPattern("\"data\":\\[][,}]");
    }

    @Test
    void theMsgFrameCarriesVersionSenderAndThePublishersTimestamp() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal bobTerminal = connect(bob)) {
            long before = System.currentTimeMillis();
            String id = CLUSTER.client().sendMessage(alice, List.of(bob), "hi");
            long after = System.currentTimeMillis();

            JsonNode msg = bobTerminal.next();
            assertThat(msg.path("v").asInt()).isEqualTo(1);
            assertThat(msg.path("type").asText()).isEqualTo("msg");
            assertThat(msg.path("id").asText()).isEqualTo(id);
            assertThat(msg.path("from").asText()).isEqualTo(alice);
            assertThat(msg.path("ts").asLong()).isBetween(before, after);
        }
    }

    // ---- connections and receivers

    @Test
    void aClientWithTwoConnectionsGetsEveryMessageOnBoth() {
        String bob = UniqueIds.of("bob");
        try (TestTerminal first = connect(bob);
                TestTerminal second = connect(bob)) {
            String one = CLUSTER.client().sendMessage("", List.of(bob), "one");
            String two = CLUSTER.client().sendMessage("", List.of(bob), Map.of("n", 2));

            for (TestTerminal terminal : List.of(first, second)) {
                assertThat(terminal.next("msg").path("id").asText()).isEqualTo(one);
                assertThat(terminal.next("msg").path("id").asText()).isEqualTo(two);
            }
        }
    }

    @Test
    void severalReceiversInOneCallEachGetTheMessage() {
        String bob = UniqueIds.of("bob");
        String carol = UniqueIds.of("carol");
        String dave = UniqueIds.of("dave");
        try (TestTerminal bobTerminal = connect(bob);
                TestTerminal carolTerminal = connect(carol);
                TestTerminal daveTerminal = connect(dave)) {
            String id = CLUSTER.client().sendMessage("", List.of(bob, carol, dave), "to all three");

            for (TestTerminal terminal : List.of(bobTerminal, carolTerminal, daveTerminal)) {
                JsonNode msg = terminal.next("msg");
                assertThat(msg.path("id").asText()).isEqualTo(id);
                assertThat(msg.path("data").asText()).isEqualTo("to all three");
            }
        }
    }

    @Test
    void aReceiverNamedTwiceGetsTheMessageOnce() {
        String bob = UniqueIds.of("bob");
        try (TestTerminal terminal = connect(bob)) {
            String id = CLUSTER.client().sendMessage("", List.of(bob, bob), "once");

            assertThat(terminal.next("msg").path("id").asText()).isEqualTo(id);
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), bob, terminal);
        }
    }

    @Test
    void messagesToOneConnectionArriveInPublishOrder() {
        String bob = UniqueIds.of("bob");
        try (TestTerminal terminal = connect(bob)) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(CLUSTER.client().sendMessage("", List.of(bob), i));
            }

            for (int i = 0; i < 50; i++) {
                JsonNode msg = terminal.next("msg");
                assertThat(msg.path("id").asText()).isEqualTo(ids.get(i));
                assertThat(msg.path("data").asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void aMessageToAnotherClientDoesNotReachABystander() {
        String bob = UniqueIds.of("bob");
        String carol = UniqueIds.of("carol");
        try (TestTerminal bobTerminal = connect(bob);
                TestTerminal carolTerminal = connect(carol)) {
            CLUSTER.client().sendMessage("", List.of(bob), "for bob only");

            assertThat(bobTerminal.next("msg").path("data").asText()).isEqualTo("for bob only");
            Markers.assertNothingElseArrivesBeforeAMarker(CLUSTER.client(), carol, carolTerminal);
        }
    }

    // ---- receipts

    @Test
    void theSenderGetsADeliveredReceiptWhenTheReceiverIsConnected() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            long before = System.currentTimeMillis();
            String id = CLUSTER.client().sendMessage(alice, List.of(bob), "hi", true);

            assertThat(bobTerminal.next("msg").path("id").asText()).isEqualTo(id);
            JsonNode receipt = aliceTerminal.next();
            assertThat(receipt.path("v").asInt()).isEqualTo(1);
            assertThat(receipt.path("type").asText()).isEqualTo("receipt");
            assertThat(receipt.path("id").asText()).isEqualTo(id);
            assertThat(receipt.path("to").asText()).isEqualTo(bob);
            assertThat(receipt.path("status").asText()).isEqualTo("delivered");
            assertThat(receipt.path("ts").asLong()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void theSenderGetsAnOfflineReceiptWhenTheReceiverIsNotConnected() {
        String alice = UniqueIds.of("alice");
        String nobody = UniqueIds.of("nobody");
        try (TestTerminal aliceTerminal = connect(alice)) {
            String id = CLUSTER.client().sendMessage(alice, List.of(nobody), "hi", true);

            JsonNode receipt = aliceTerminal.next();
            assertThat(receipt.path("type").asText()).isEqualTo("receipt");
            assertThat(receipt.path("id").asText()).isEqualTo(id);
            assertThat(receipt.path("to").asText()).isEqualTo(nobody);
            assertThat(receipt.path("status").asText()).isEqualTo("offline");
        }
    }

    @Test
    void severalReceiversGiveOneReceiptEach() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        String carol = UniqueIds.of("carol");
        String dave = UniqueIds.of("dave");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob);
                TestTerminal carolTerminal = connect(carol)) {
            String id = CLUSTER.client().sendMessage(alice, List.of(bob, carol, dave), "hi", true);

            Map<String, String> statusByReceiver = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                JsonNode receipt = aliceTerminal.next("receipt");
                assertThat(receipt.path("id").asText()).isEqualTo(id);
                assertThat(statusByReceiver.put(
                                receipt.path("to").asText(),
                                receipt.path("status").asText()))
                        .as("a second receipt for %s", receipt.path("to").asText())
                        .isNull();
            }
            assertThat(statusByReceiver)
                    .containsOnly(
                            Map.entry(bob, "delivered"), Map.entry(carol, "delivered"), Map.entry(dave, "offline"));
            assertThat(bobTerminal.next("msg").path("id").asText()).isEqualTo(id);
            assertThat(carolTerminal.next("msg").path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void aReceiverWithTwoConnectionsGivesExactlyOneReceipt() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bob1 = connect(bob);
                TestTerminal bob2 = connect(bob)) {
            String id = CLUSTER.client().sendMessage(alice, List.of(bob), "hi", true);
            assertThat(bob1.next("msg").path("id").asText()).isEqualTo(id);
            assertThat(bob2.next("msg").path("id").asText()).isEqualTo(id);
            assertThat(aliceTerminal.next("receipt").path("id").asText()).isEqualTo(id);

            String marker = CLUSTER.client().sendMessage(alice, List.of(bob), "marker", true);

            JsonNode next = aliceTerminal.next();
            assertThat(next.path("type").asText()).isEqualTo("receipt");
            assertThat(next.path("id").asText())
                    .as("the receipt after the first one")
                    .isEqualTo(marker);
        }
    }

    @Test
    void everyConnectionOfTheSenderGetsTheReceipt() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal alice1 = connect(alice);
                TestTerminal alice2 = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            String id = CLUSTER.client().sendMessage(alice, List.of(bob), "hi", true);

            for (TestTerminal terminal : List.of(alice1, alice2)) {
                JsonNode receipt = terminal.next("receipt");
                assertThat(receipt.path("id").asText()).isEqualTo(id);
                assertThat(receipt.path("status").asText()).isEqualTo("delivered");
            }
        }
    }

    @Test
    void noReceiptIsSentWhenTheMessageDidNotAskForOne() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        String nobody = UniqueIds.of("nobody");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            String silent = CLUSTER.client().sendMessage(alice, List.of(bob, nobody), "no receipt please", false);
            String marker = CLUSTER.client().sendMessage(alice, List.of(bob), "marker", true);

            assertThat(bobTerminal.next("msg").path("id").asText()).isEqualTo(silent);
            assertThat(bobTerminal.next("msg").path("id").asText()).isEqualTo(marker);
            // A receipt of the first message would be decided before the marker's (same connection, in order).
            JsonNode next = aliceTerminal.next();
            assertThat(next.path("type").asText()).isEqualTo("receipt");
            assertThat(next.path("id").asText()).as("first receipt alice got").isEqualTo(marker);
        }
    }

    @Test
    void aSystemMessageHasAnEmptySenderAndNeverGetsAReceipt() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        String nobody = UniqueIds.of("nobody");
        MetricRegistry metrics = CLUSTER.node(0).getEnvironment().metrics();
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bobTerminal = connect(bob)) {
            long receiptsBefore = receiptCount(metrics);
            String system = CLUSTER.client().sendMessage("", List.of(bob, nobody), "maintenance at 22:00", true);

            JsonNode msg = bobTerminal.next("msg");
            assertThat(msg.path("id").asText()).isEqualTo(system);
            assertThat(msg.has("from")).isTrue();
            assertThat(msg.path("from").asText()).isEmpty();

            String marker = CLUSTER.client().sendMessage(alice, List.of(bob), "marker", true);
            assertThat(bobTerminal.next("msg").path("id").asText()).isEqualTo(marker);
            assertThat(aliceTerminal.next("receipt").path("id").asText()).isEqualTo(marker);
            assertThat(receiptCount(metrics))
                    .as("receipts decided: only the marker's")
                    .isEqualTo(receiptsBefore + 1);
        }
    }

    private static long receiptCount(MetricRegistry metrics) {
        return metrics.meter("im.receipts.delivered").getCount()
                + metrics.meter("im.receipts.offline").getCount();
    }

    // ---- broadcast

    @Test
    void aBroadcastReachesEveryConnectionAsAMsgFrame() {
        String alice = UniqueIds.of("alice");
        String bob = UniqueIds.of("bob");
        try (TestTerminal aliceTerminal = connect(alice);
                TestTerminal bob1 = connect(bob);
                TestTerminal bob2 = connect(bob)) {
            String id =
                    CLUSTER.client().sendBroadcastMessage(Map.of("notice", "héllo 世界 🎉", "n", new BigDecimal("1.10")));

            for (TestTerminal terminal : List.of(aliceTerminal, bob1, bob2)) {
                String raw = nextRawMsgWithId(terminal, id);
                JsonNode msg = parse(raw);
                assertThat(msg.path("v").asInt()).isEqualTo(1);
                assertThat(msg.path("from").asText()).isEmpty();
                assertThat(msg.path("data").path("notice").asText()).isEqualTo("héllo 世界 🎉");
                assertThat(raw).contains("\"n\":1.10");
            }
        }
    }

    /** The raw text of the {@code msg} frame with {@code id}, skipping frames of earlier tests' broadcasts. */
    private static String nextRawMsgWithId(TestTerminal terminal, String id) {
        while (true) {
            String raw = terminal.nextRaw();
            JsonNode frame = parse(raw);
            if ("msg".equals(frame.path("type").asText())
                    && id.equals(frame.path("id").asText())) {
                return raw;
            }
        }
    }

    private static JsonNode json(String text) {
        return parse(text);
    }

    private static JsonNode parse(String text) {
        try {
            return Codec.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
