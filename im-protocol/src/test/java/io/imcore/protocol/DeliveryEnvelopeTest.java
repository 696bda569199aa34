package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast path agrees byte for byte with Codec.decodeEnvelope + Codec.encode of the frame, or steps aside. */
class DeliveryEnvelopeTest {
    private static final String HEAD = "{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"alice\",\"to\":[\"bob\"],";

    static String msg(String data) {
        return HEAD + "\"data\":" + data + ",\"receipt\":false,\"ts\":1700000000000}";
    }

    /** Inputs the fast path must take (compact, as ImHelper writes them). */
    static Stream<String> recognised() {
        return Stream.of(
                msg("{\"text\":\"hello\",\"n\":1}"),
                msg("\"plain text\""),
                msg("\"héllo 世界 🎉\""),
                msg("{\"esc\":\"tab\\there \\\"q\\\" \\\\ / \\u0001 \\u001F\"}"),
                msg("[1,-2,3.5,0.10,-0.5,123456789012345678901234567890,true,false,null,{},[]]"),
                msg("{\"a\":{\"b\":{\"c\":[{\"d\":\"e\"}]}}}"),
                msg("null"),
                msg("0"),
                msg("\"\""),
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"\",\"to\":[],\"data\":1,\"ts\":-5}",
                "{\"ts\":5,\"data\":{\"x\":1},\"to\":[\"b\",\"c\"],\"from\":\"a\",\"id\":\"i\",\"type\":\"msg\",\"v\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"i\\\"d\\\\\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"i\\n\\u0002\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"\\u0041\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                " {\"v\":1, \"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[ \"b\" ],\"data\":{\"k\":2}, \"ts\" : 5 } ",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"chan\":\"room-1\",\"data\":{\"t\":\"x\"},\"ts\":3}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"a1\",\"from\":\"x\",\"data\":[1,{}],\"ts\":0}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":"
                        + Long.MAX_VALUE + "}",
                Fixtures.read("envelopes/msg.json"),
                Fixtures.read("envelopes/chan.json"),
                Fixtures.read("envelopes/all.json"));
    }

    /** Inputs the fast path must leave to the general path (which accepts or refuses them). */
    static Stream<String> stepsAside() {
        return Stream.of(
                msg("{\"a\": 1}"),
                msg("{\"a\":1 }"),
                msg("[1,\n2]"),
                msg("\"\\/\""),
                msg("\"\\u0041\""),
                msg("\"\\u00e9\""),
                msg("\"\\u001f\""),
                msg("\"\\u000a\""),
                msg("\"\\uD83D\\uDE00\""),
                msg("-0"),
                msg("[-0]"),
                msg("1e5"),
                msg("1E-7"),
                msg("-0.0"),
                msg("0.0000001"),
                msg("{\"a\":1,\"a\":2}"),
                msg("1".repeat(1001)),
                msg("[".repeat(300) + "]".repeat(300)),
                msg("\"a\u0000b\""),
                HEAD + "\"data\":1,\"receipt\":true,\"ts\":5,\"fwd\":true}",
                HEAD + "\"data\":1,\"receipt\":null,\"ts\":5}",
                HEAD + "\"data\":1,\"ts\":5,\"ts\":6}",
                HEAD + "\"data\":1,\"ts\":5}{}",
                HEAD + "\"data\":1,\"ts\":5",
                HEAD + "\"data\":1,\"ts\":123456789012345678901234567890}",
                HEAD + "\"data\":1,\"ts\":5.0}",
                HEAD + "\"data\":1,\"ts\":\"5\"}",
                HEAD + "\"data\":1}",
                HEAD + "\"ts\":1}",
                "{\"v\":2,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1.0,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"\",\"from\":\"a\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[\"b\",7],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[\"x\".repeat(200)],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"to\":[\"" + "x".repeat(129)
                        + "\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\\u0001\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"chan\":\"c\",\"to\":[\"b\"],\"data\":1,\"ts\":5}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"chan\":\"room\",\"data\":1,\"receipt\":false,"
                        + "\"ts\":3}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"chan\":\"\",\"data\":1,\"ts\":3}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"a1\",\"from\":\"\",\"to\":[],\"data\":1,\"ts\":3}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"m\",\"from\":\"b\",\"to\":\"a\",\"status\":\"delivered\",\"ts\":1}",
                Fixtures.read("envelopes/join.json"),
                Fixtures.read("envelopes/kick.json"),
                Fixtures.read("envelopes/receipt.json"),
                Fixtures.read("envelopes/online.json"),
                "[]",
                "\"msg\"",
                "",
                "{",
                "not json");
    }

    static Stream<String> allInputs() {
        return Stream.of(recognised(), stepsAside(), Stream.of(MessageEnvelopesTest.inputs()))
                .flatMap(s -> s);
    }

    @ParameterizedTest
    @MethodSource("allInputs")
    void eitherAgreesWithTheGeneralPathOrStepsAside(String json) {
        assertAgrees(json);
    }

    @ParameterizedTest
    @MethodSource("recognised")
    void takesCompactEnvelopesAsPublished(String json) {
        assertThat(DeliveryEnvelope.parse(json)).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("stepsAside")
    void leavesEverythingElseToTheGeneralPath(String json) {
        assertThat(DeliveryEnvelope.parse(json)).isNull();
    }

    @Test
    void keepsDataAsThePublishersText() {
        String data = "{\"text\":\"héllo\",\"n\":[1,2.50]}";

        DeliveryEnvelope envelope = DeliveryEnvelope.parse(msg(data));

        assertThat(envelope.data()).isEqualTo(data);
        assertThat(envelope.type()).isEqualTo("msg");
        assertThat(envelope.to()).containsExactly("bob");
        assertThat(envelope.chan()).isNull();
        assertThat(new String(envelope.frameWithSeq(7), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"type\":\"msg\",\"id\":\"m1\",\"from\":\"alice\",\"data\":" + data
                        + ",\"ts\":1700000000000,\"seq\":7}");
    }

    @Test
    void refusesANegativeSequenceNumber() {
        assertThatThrownBy(() -> DeliveryEnvelope.parse(msg("1")).frameWithSeq(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoneSurrogateGivesNoFrame() {
        assertThat(DeliveryEnvelope.parse(msg("\"a\uD800b\"")).frame()).isNull();
    }

    /** Random envelopes, with random data and random damage: never a disagreement. */
    @Test
    void randomEnvelopesNeverDisagree() {
        Random random = new Random(16);
        int recognised = 0;
        for (int i = 0; i < 20_000; i++) {
            String json = randomEnvelope(random);
            if (random.nextInt(4) == 0) {
                json = damage(json, random);
            }
            if (assertAgrees(json)) {
                recognised++;
            }
        }
        assertThat(recognised).isGreaterThan(200); // 351 with this seed: the rest is refused or left aside
    }

    /** Asserts agreement; true when the fast path took the input. */
    private static boolean assertAgrees(String json) {
        DeliveryEnvelope fast = DeliveryEnvelope.parse(json);
        if (fast == null) {
            return false;
        }
        Envelope general;
        try {
            general = Codec.decodeEnvelope(json);
        } catch (ProtocolException e) {
            throw new AssertionError("the fast path took what the general path refuses: " + json, e);
        }
        assertThat(fast.type()).as(json).isEqualTo(general.type());
        assertThat(DeliveryEnvelope.parse(json).frame()).isNotNull();
        for (Long seq : new Long[] {null, 0L, 1L, 42L, Long.MAX_VALUE}) {
            byte[] expected = Codec.encode(frameOf(general, seq)).getBytes(StandardCharsets.UTF_8);
            byte[] actual = seq == null ? fast.frame() : fast.frameWithSeq(seq);
            assertThat(new String(actual, StandardCharsets.UTF_8))
                    .as(json)
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).as(json).isEqualTo(expected);
        }
        if (general instanceof MsgEnvelope msg) {
            assertThat(fast.id()).isEqualTo(msg.id());
            assertThat(fast.from()).isEqualTo(msg.from());
            assertThat(fast.to()).isEqualTo(msg.to());
            assertThat(fast.receipt()).isEqualTo(msg.receipt());
            assertThat(fast.ts()).isEqualTo(msg.ts());
            assertThat(fast.chan()).isNull();
        } else if (general instanceof ChanEnvelope chan) {
            assertThat(fast.id()).isEqualTo(chan.id());
            assertThat(fast.from()).isEqualTo(chan.from());
            assertThat(fast.chan()).isEqualTo(chan.chan());
            assertThat(fast.ts()).isEqualTo(chan.ts());
            assertThat(fast.to()).isEmpty();
            assertThat(fast.receipt()).isFalse();
        } else if (general instanceof AllEnvelope all) {
            assertThat(fast.id()).isEqualTo(all.id());
            assertThat(fast.from()).isEqualTo(all.from());
            assertThat(fast.ts()).isEqualTo(all.ts());
            assertThat(fast.to()).isEmpty();
            assertThat(fast.chan()).isNull();
        } else {
            throw new AssertionError("the fast path took a " + general.type() + ": " + json);
        }
        return true;
    }

    private static Frame frameOf(Envelope envelope, Long seq) {
        if (envelope instanceof MsgEnvelope m) {
            return new MsgFrame(m.id(), m.from(), m.data(), m.ts(), seq);
        }
        if (envelope instanceof ChanEnvelope c) {
            return new ChanFrame(c.id(), c.chan(), c.from(), c.data(), c.ts(), seq);
        }
        if (envelope instanceof AllEnvelope a) {
            return new MsgFrame(a.id(), a.from(), a.data(), a.ts(), seq);
        }
        throw new AssertionError(envelope.type());
    }

    private static String randomEnvelope(Random random) {
        List<String> fields = new ArrayList<>();
        String type = pick(random, "msg", "msg", "msg", "chan", "all", "receipt");
        fields.add("\"v\":" + pick(random, "1", "1", "1", "1", "2", "1.0", "\"1\""));
        fields.add("\"type\":\"" + type + "\"");
        fields.add("\"id\":" + pick(random, "\"m1\"", "\"m\\\"1\"", "\"\"", "7", "\"AAECAwQFBgcICQoLDA0ODw\""));
        fields.add("\"from\":" + pick(random, "\"alice\"", "\"\"", "\"é世\"", "null", "\"a\\u0001\""));
        if (!type.equals("all") || random.nextInt(8) == 0) {
            fields.add(
                    type.equals("chan")
                            ? "\"chan\":" + pick(random, "\"room\"", "\"\"", "\"r\\/1\"")
                            : "\"to\":" + pick(random, "[\"bob\"]", "[]", "[\"b\",\"c\"]", "[1]", "\"bob\""));
        }
        if (random.nextInt(10) != 0) {
            fields.add("\"data\":" + randomValue(random, 0));
        }
        if (type.equals("msg") && random.nextBoolean()) {
            fields.add("\"receipt\":" + pick(random, "true", "false", "1", "null"));
        }
        if (random.nextInt(10) != 0) {
            fields.add("\"ts\":" + pick(random, "1700000000000", "-1", "0", "1.5", "\"5\"", "99999999999999999999"));
        }
        if (random.nextInt(12) == 0) {
            fields.add("\"extra\":1");
        }
        if (random.nextInt(8) == 0) {
            java.util.Collections.shuffle(fields, random);
        }
        return "{" + String.join(",", fields) + "}";
    }

    private static String randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 4 : 7);
        String space = random.nextInt(20) == 0 ? " " : "";
        return switch (kind) {
            case 0 ->
                pick(
                        random,
                        "0",
                        "-0",
                        "17",
                        "-3",
                        "1.10",
                        "-0.5",
                        "1e3",
                        "0.00000001",
                        "-0.0",
                        "3.0E2",
                        "123456789012345678901234567890",
                        "9007199254740993",
                        "2.5000");
            case 1 -> pick(random, "true", "false", "null");
            case 2, 3 -> "\"" + randomText(random) + "\"";
            case 4, 5 -> {
                List<String> members = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    members.add(space + "\"" + pick(random, "a", "b", "k", "é", "\\u0062") + "\":"
                            + randomValue(random, depth + 1));
                }
                yield "{" + String.join(",", members) + space + "}";
            }
            default -> {
                List<String> elements = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    elements.add(randomValue(random, depth + 1) + space);
                }
                yield "[" + String.join(",", elements) + "]";
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            text.append(pick(
                    random,
                    "a",
                    "Z",
                    " ",
                    "é",
                    "世",
                    "🎉",
                    "/",
                    "\\\"",
                    "\\\\",
                    "\\/",
                    "\\n",
                    "\\t",
                    "\\b",
                    "\\f",
                    "\\r",
                    "\\u0000",
                    "\\u001F",
                    "\\u001f",
                    "\\u000A",
                    "\\u0041",
                    "\\u00e9",
                    "\\uD83D\\uDE00",
                    "\\x",
                    "\u007f",
                    "\u2028"));
        }
        return text.toString();
    }

    private static String damage(String json, Random random) {
        int at = random.nextInt(json.length());
        return switch (random.nextInt(3)) {
            case 0 -> json.substring(0, at) + json.substring(at + 1);
            case 1 ->
                json.substring(0, at)
                        + pick(random, "\"", ",", "}", "]", " ", "\\", "x", "{", "0")
                        + json.substring(at);
            default -> json.substring(0, at);
        };
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
