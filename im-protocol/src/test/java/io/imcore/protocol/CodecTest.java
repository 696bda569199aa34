package io.imcore.protocol;

import static io.imcore.protocol.Fixtures.ID;
import static io.imcore.protocol.Fixtures.TS;
import static io.imcore.protocol.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {
    private static final String KICK = "{\"v\":1,\"type\":\"kick\",\"clientId\":\"alice\"}";
    private static final String LONG_129 = "c".repeat(129);
    private static final String LONG_128 = "c".repeat(128);

    /** The fixture at {@code path} as a tree (parsed by the codec's mapper, so numbers stay exact). */
    private static ObjectNode tree(String path) {
        try {
            return (ObjectNode) Codec.mapper().readTree(read(path));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture at {@code path} without {@code field}. */
    private static String without(String path, String field) {
        ObjectNode node = tree(path);
        assertThat(node.has(field)).as("fixture %s has %s", path, field).isTrue();
        node.remove(field);
        return node.toString();
    }

    /** The fixture at {@code path} with {@code field} set to the JSON value {@code rawValue}. */
    private static String with(String path, String field, String rawValue) {
        ObjectNode node = tree(path);
        try {
            node.set(field, Codec.mapper().readTree(rawValue));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return node.toString();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertEnvelopeRejected(String json) {
        return assertThatThrownBy(() -> Codec.decodeEnvelope(json)).isInstanceOf(ProtocolException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFrameRejected(String json) {
        return assertThatThrownBy(() -> Codec.decodeFrame(json)).isInstanceOf(ProtocolException.class);
    }

    @Nested
    class InvalidJson {
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "{",
                    "not json",
                    "{\"v\":1,",
                    "{\"v\":1,\"type\":\"kick\",\"clientId\":\"alice\"",
                    "{'v':1,'type':'kick','clientId':'alice'}",
                    "{v:1}",
                    "{\"v\":1,\"type\":\"kick\",\"clientId\":\"a\",}"
                })
        void invalidJsonIsRejectedEverywhere(String json) {
            assertEnvelopeRejected(json).hasMessageContaining("invalid JSON");
            assertFrameRejected(json).hasMessageContaining("invalid JSON");
            assertThatThrownBy(() -> Codec.decodeToken(json)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> Codec.decodeLease(json)).isInstanceOf(ProtocolException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[" + KICK + "]", "\"kick\"", "42", "true", "null", "", "   "})
        void nonObjectsAreRejected(String json) {
            assertEnvelopeRejected(json).hasMessageContaining("not a JSON object");
            assertFrameRejected(json).hasMessageContaining("not a JSON object");
            assertThatThrownBy(() -> Codec.decodeToken(json)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> Codec.decodeLease(json)).isInstanceOf(ProtocolException.class);
        }

        /** Jackson reports an exponent overflow of a decimal as a NumberFormatException, not a parse error. */
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "{\"v\":1,\"type\":\"all\",\"id\":\"m\",\"from\":\"\",\"data\":8.3E2994723938,\"ts\":1}",
                    "{\"type\":\"ping\",\"x\":[1e2147483648]}",
                    "{\"v\":1e-2147483649}"
                })
        void numbersBeyondBigDecimalAreRejectedAsInvalidJson(String json) {
            assertEnvelopeRejected(json).hasMessageContaining("invalid JSON");
            assertFrameRejected(json).hasMessageContaining("invalid JSON");
            assertThatThrownBy(() -> Codec.decodeToken(json)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> Codec.decodeLease(json)).isInstanceOf(ProtocolException.class);
        }

        @Test
        void nullIsRejected() {
            assertEnvelopeRejected(null).hasMessageContaining("no JSON");
            assertFrameRejected(null).hasMessageContaining("no JSON");
        }

        @ParameterizedTest
        @ValueSource(strings = {KICK + " x", KICK + "{}", KICK + KICK, KICK + ",", KICK + "]", KICK + " 1"})
        void trailingGarbageIsRejected(String json) {
            assertEnvelopeRejected(json).hasMessageContaining("invalid JSON");
            assertFrameRejected("{\"type\":\"ping\"} x").hasMessageContaining("invalid JSON");
        }

        @Test
        void trailingWhitespaceIsFine() throws Exception {
            assertThat(Codec.decodeEnvelope(KICK + " \n")).isEqualTo(new KickEnvelope("alice"));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "envelopes/msg.json",
                    "envelopes/receipt.json",
                    "envelopes/join.json",
                    "envelopes/online.json",
                    "frames/hello.json",
                    "frames/chan.json",
                    "token.json",
                    "lease.json"
                })
        void everyTruncationIsAProtocolExceptionNeverACrash(String path) {
            String json = read(path);
            for (int end = 0; end < json.length(); end++) {
                String cut = json.substring(0, end);
                assertThatThrownBy(() -> Codec.decodeEnvelope(cut)).as(cut).isInstanceOf(ProtocolException.class);
                assertThatThrownBy(() -> Codec.decodeFrame(cut)).as(cut).isInstanceOf(ProtocolException.class);
            }
        }

        @Test
        void deepNestingIsRejectedWithoutStackOverflow() {
            String data = "[".repeat(10_000) + "]".repeat(10_000);
            String json = "{\"v\":1,\"type\":\"all\",\"id\":\"x\",\"from\":\"\",\"data\":" + data + ",\"ts\":1}";
            assertEnvelopeRejected(json);
        }

        @Test
        void moderateNestingIsAccepted() throws Exception {
            String data = "[".repeat(100) + "]".repeat(100);
            String json = "{\"v\":1,\"type\":\"all\",\"id\":\"x\",\"from\":\"\",\"data\":" + data + ",\"ts\":1}";
            assertThat(Codec.encode(Codec.decodeEnvelope(json))).isEqualTo(json);
        }
    }

    @Nested
    class Version {
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "envelopes/msg.json",
                    "envelopes/receipt.json",
                    "envelopes/kick.json",
                    "envelopes/join.json",
                    "envelopes/leave.json",
                    "envelopes/chan.json",
                    "envelopes/all.json",
                    "envelopes/online.json",
                    "envelopes/offline.json"
                })
        void everyEnvelopeWithoutVIsRejected(String path) {
            assertEnvelopeRejected(without(path, "v")).hasMessageContaining("missing field 'v'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2", "0", "-1", "\"1\"", "1.0", "1.5", "true", "null", "[1]", "{}", "4294967297"})
        void anyOtherVIsRejected(String v) {
            assertEnvelopeRejected(with("envelopes/kick.json", "v", v))
                    .hasMessageContaining("unsupported protocol version");
            assertFrameRejected(with("frames/pong.json", "v", v)).hasMessageContaining("unsupported protocol version");
            assertFrameRejected("{\"v\":" + v + ",\"type\":\"ping\"}");
            assertThatThrownBy(() -> Codec.decodeToken(with("token.json", "v", v)))
                    .isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> Codec.decodeLease(with("lease.json", "v", v)))
                    .isInstanceOf(ProtocolException.class);
        }

        @Test
        void versionIsCheckedBeforeType() {
            assertEnvelopeRejected("{\"v\":2,\"type\":\"future\",\"whatever\":true}")
                    .hasMessageContaining("unsupported protocol version 2");
        }

        @Test
        void terminalPingWithoutVIsAccepted() throws Exception {
            assertThat(Codec.decodeFrame("{\"type\":\"ping\"}")).isEqualTo(new PingFrame());
            assertThat(Codec.decodeFrame("{\"v\":1,\"type\":\"ping\"}")).isEqualTo(new PingFrame());
            assertThat(Codec.decodeFrame(" { \"type\" : \"ping\" } ")).isEqualTo(new PingFrame());
        }

        @Test
        void tokenAndLeaseRequireV() {
            assertThatThrownBy(() -> Codec.decodeToken(without("token.json", "v")))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("missing field 'v'");
            assertThatThrownBy(() -> Codec.decodeLease(without("lease.json", "v")))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("missing field 'v'");
        }
    }

    @Nested
    class Type {
        @ParameterizedTest
        @ValueSource(
                strings = {"\"zap\"", "\"MSG\"", "\"Kick\"", "\"\"", "\"ping\"", "\"hello\"", "\"pong\"", "\"token\""})
        void unknownEnvelopeTypesAreRejected(String type) {
            assertEnvelopeRejected(with("envelopes/kick.json", "type", type)).hasMessageContaining("unknown type");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"zap\"", "\"all\"", "\"kick\"", "\"join\"", "\"online\"", "\"PING\""})
        void unknownFrameTypesAreRejected(String type) {
            assertFrameRejected("{\"v\":1,\"type\":" + type + "}").hasMessageContaining("unknown type");
        }

        @Test
        void missingTypeIsRejected() {
            assertEnvelopeRejected(without("envelopes/kick.json", "type")).hasMessageContaining("'type'");
            assertFrameRejected("{\"v\":1}").hasMessageContaining("'type'");
            assertFrameRejected("{}").hasMessageContaining("'type'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "5", "[\"kick\"]", "{}"})
        void nonStringTypeIsRejected(String type) {
            assertEnvelopeRejected(with("envelopes/kick.json", "type", type));
        }
    }

    @Nested
    class RequiredFields {
        @ParameterizedTest(name = "{0} without {1}")
        @CsvSource({
            "envelopes/msg.json, id",
            "envelopes/msg.json, from",
            "envelopes/msg.json, to",
            "envelopes/msg.json, data",
            "envelopes/receipt.json, id",
            "envelopes/receipt.json, from",
            "envelopes/receipt.json, to",
            "envelopes/receipt.json, status",
            "envelopes/kick.json, clientId",
            "envelopes/join.json, clientId",
            "envelopes/join.json, chans",
            "envelopes/leave.json, clientId",
            "envelopes/leave.json, chans",
            "envelopes/chan.json, id",
            "envelopes/chan.json, from",
            "envelopes/chan.json, chan",
            "envelopes/chan.json, data",
            "envelopes/all.json, id",
            "envelopes/all.json, from",
            "envelopes/all.json, data",
            "envelopes/online.json, clientId",
            "envelopes/online.json, metadata",
            "envelopes/online.json, node",
            "envelopes/online.json, reason",
            "envelopes/offline.json, clientId",
            "envelopes/offline.json, metadata",
            "envelopes/offline.json, node",
            "envelopes/offline.json, reason"
        })
        void missingFieldIsRejectedAndNamed(String path, String field) {
            assertEnvelopeRejected(without(path, field)).hasMessageContaining("'" + field + "'");
        }

        @ParameterizedTest(name = "{0} with {1}=null")
        @CsvSource({
            "envelopes/msg.json, id", "envelopes/msg.json, from", "envelopes/msg.json, to",
            "envelopes/receipt.json, status", "envelopes/kick.json, clientId", "envelopes/join.json, chans",
            "envelopes/chan.json, chan", "envelopes/all.json, from", "envelopes/online.json, node"
        })
        void nullFieldIsRejected(String path, String field) {
            assertEnvelopeRejected(with(path, field, "null")).hasMessageContaining("'" + field + "'");
        }

        @ParameterizedTest(name = "{0} without {1}")
        @CsvSource({
            "frames/hello.json, clientId",
            "frames/hello.json, node",
            "frames/msg.json, id",
            "frames/msg.json, from",
            "frames/msg.json, data",
            "frames/chan.json, id",
            "frames/chan.json, chan",
            "frames/chan.json, from",
            "frames/chan.json, data",
            "frames/receipt.json, id",
            "frames/receipt.json, to",
            "frames/receipt.json, status",
            "frames/error.json, code",
            "frames/error.json, message"
        })
        void framesMissingAFieldAreRejected(String path, String field) {
            assertFrameRejected(without(path, field)).hasMessageContaining("'" + field + "'");
        }

        @Test
        void tokenFieldsAreRequired() {
            assertThatThrownBy(() -> Codec.decodeToken(without("token.json", "clientId")))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("'clientId'");
            assertThatThrownBy(() -> Codec.decodeToken(without("token.json", "metadata")))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("'metadata'");
        }

        @Test
        void missingReceiptReadsFalse() throws Exception {
            MsgEnvelope msg = (MsgEnvelope) Codec.decodeEnvelope(without("envelopes/msg.json", "receipt"));
            assertThat(msg.receipt()).isFalse();
            assertThat(Codec.encode(msg))
                    .isEqualTo(read("envelopes/msg.json").replace("\"receipt\":true", "\"receipt\":false"));
        }

        @Test
        void explicitReceiptFalseReadsFalse() throws Exception {
            MsgEnvelope msg = (MsgEnvelope) Codec.decodeEnvelope(with("envelopes/msg.json", "receipt", "false"));
            assertThat(msg.receipt()).isFalse();
        }

        /**
         * Codec documents that a missing {@code ts} reads as 0; PROTOCOL.md only lets {@code receipt} be
         * omitted. Pinned here so a change of either side is a deliberate one.
         */
        @Test
        void missingTsIsAMissingField() {
            assertThatThrownBy(() -> Codec.decodeEnvelope(without("envelopes/msg.json", "ts")))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("ts");
        }

        @Test
        void jsonNullDataIsAValueNotAMissingField() throws Exception {
            String json = with("envelopes/all.json", "data", "null");
            AllEnvelope all = (AllEnvelope) Codec.decodeEnvelope(json);
            assertThat(all.data()).isNotNull();
            assertThat(all.data().isNull()).isTrue();
            assertThat(Codec.encode(all)).contains("\"data\":null,").isEqualTo(json);
        }

        @Test
        void unknownExtraFieldsAreIgnored() throws Exception {
            String json = with("envelopes/kick.json", "future", "{\"x\":[1]}");
            assertThat(Codec.decodeEnvelope(json)).isEqualTo(new KickEnvelope("alice"));
        }
    }

    @Nested
    class InvalidValues {
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "[\"\"]",
                    "[\"bob\",\"\"]",
                    "[\"bob\",null]",
                    "[\"a\\u0000b\"]",
                    "[\"a\\u001fb\"]",
                    "[\"a\\u007fb\"]",
                    "[\"line\\nbreak\"]",
                    "\"bob\"",
                    "{\"bob\":1}",
                    "[[\"bob\"]]"
                })
        void invalidToIsRejected(String to) {
            assertEnvelopeRejected(with("envelopes/msg.json", "to", to));
        }

        @Test
        void toWith129CharsIsRejectedAnd128Accepted() throws Exception {
            assertEnvelopeRejected(with("envelopes/msg.json", "to", "[\"" + LONG_129 + "\"]"))
                    .hasMessageContaining("128");
            MsgEnvelope ok =
                    (MsgEnvelope) Codec.decodeEnvelope(with("envelopes/msg.json", "to", "[\"" + LONG_128 + "\"]"));
            assertThat(ok.to()).containsExactly(LONG_128);
        }

        @Test
        void decodedToIsImmutable() throws Exception {
            MsgEnvelope msg = (MsgEnvelope) Codec.decodeEnvelope(read("envelopes/msg.json"));
            assertThatThrownBy(() -> msg.to().add("mallory")).isInstanceOf(UnsupportedOperationException.class);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {"envelopes/msg.json", "envelopes/receipt.json", "envelopes/chan.json", "envelopes/all.json"})
        void emptyIdIsRejected(String path) {
            assertEnvelopeRejected(with(path, "id", "\"\""))
                    .hasMessageContaining("'id'")
                    .hasMessageContaining("empty");
        }

        @ParameterizedTest
        @ValueSource(strings = {"frames/msg.json", "frames/chan.json", "frames/receipt.json"})
        void emptyIdIsRejectedInFrames(String path) {
            assertFrameRejected(with(path, "id", "\"\"")).hasMessageContaining("'id'");
        }

        /** Found by the fuzz test: {@code "receipt": -87} was read as true and produced receipts. */
        @ParameterizedTest
        @ValueSource(strings = {"1", "-8786888753906993788", "0", "1.0", "\"true\"", "\"false\"", "[true]"})
        void aReceiptFlagThatIsNotABooleanIsRejected(String receipt) {
            assertEnvelopeRejected(with("envelopes/msg.json", "receipt", receipt));
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"1700000000000\"", "1.5", "1700000000000.0", "true", "[1]"})
        void aTsThatIsNotAnIntegerIsRejected(String ts) {
            assertEnvelopeRejected(with("envelopes/msg.json", "ts", ts));
            assertEnvelopeRejected(with("envelopes/all.json", "ts", ts));
            assertFrameRejected(with("frames/msg.json", "ts", ts));
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"read\"", "\"DELIVERED\"", "\"Offline\"", "\"\"", "1", "true", "null"})
        void badReceiptStatusIsRejected(String status) {
            assertEnvelopeRejected(with("envelopes/receipt.json", "status", status));
            assertFrameRejected(with("frames/receipt.json", "status", status));
        }

        @Test
        void badReceiptStatusIsNamed() {
            assertEnvelopeRejected(with("envelopes/receipt.json", "status", "\"read\""))
                    .hasMessageContaining("read");
        }

        @Test
        void channelNameOf129CharsIsRejected() {
            assertEnvelopeRejected(with("envelopes/chan.json", "chan", "\"" + LONG_129 + "\""))
                    .hasMessageContaining("channel name")
                    .hasMessageContaining("128");
            assertEnvelopeRejected(with("envelopes/join.json", "chans", "[\"ok\",\"" + LONG_129 + "\"]"))
                    .hasMessageContaining("channel name");
            assertEnvelopeRejected(with("envelopes/leave.json", "chans", "[\"" + LONG_129 + "\"]"))
                    .hasMessageContaining("channel name");
        }

        @Test
        void channelNameOf128CharsIsAccepted() throws Exception {
            ChanEnvelope chan =
                    (ChanEnvelope) Codec.decodeEnvelope(with("envelopes/chan.json", "chan", "\"" + LONG_128 + "\""));
            assertThat(chan.chan()).hasSize(128);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "\"a\\u0000\"", "\"a\\tb\"", "null", "[\"x\"]", "{}"})
        void invalidChannelsInMembershipAreRejected(String chan) {
            assertEnvelopeRejected(with("envelopes/join.json", "chans", "[" + chan + "]"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"al\\u0001ice", "\\u0000", "tab\\there", "new\\nline", "del\\u007f", "\\u001f"})
        void controlCharacterInAClientIdIsRejected(String escaped) {
            String id = "\"" + escaped + "\"";
            assertEnvelopeRejected(with("envelopes/kick.json", "clientId", id))
                    .hasMessageContaining("control characters");
            assertEnvelopeRejected(with("envelopes/join.json", "clientId", id));
            assertEnvelopeRejected(with("envelopes/online.json", "clientId", id));
            assertEnvelopeRejected(with("envelopes/receipt.json", "from", id));
            assertEnvelopeRejected(with("envelopes/receipt.json", "to", id));
            assertEnvelopeRejected(with("envelopes/msg.json", "from", id));
            assertEnvelopeRejected(with("envelopes/chan.json", "from", id));
            assertEnvelopeRejected(with("envelopes/all.json", "from", id));
            assertFrameRejected(with("frames/hello.json", "clientId", id));
            assertThatThrownBy(() -> Codec.decodeToken(with("token.json", "clientId", id)))
                    .isInstanceOf(ProtocolException.class);
        }

        @Test
        void emptyClientIdIsRejectedButEmptySenderIsAllowed() throws Exception {
            assertEnvelopeRejected(with("envelopes/kick.json", "clientId", "\"\""))
                    .hasMessageContaining("empty");
            assertEnvelopeRejected(with("envelopes/receipt.json", "from", "\"\""));
            assertEnvelopeRejected(with("envelopes/online.json", "clientId", "\"\""));
            MsgEnvelope msg = (MsgEnvelope) Codec.decodeEnvelope(with("envelopes/msg.json", "from", "\"\""));
            assertThat(msg.from()).isEmpty();
        }

        @Test
        void nonControlUnicodeInClientIdsIsAccepted() throws Exception {
            String id = "\u7528\u6237 \u00e9 \uD83C\uDF89 \u0080";
            assertThat(Codec.decodeEnvelope(with(
                            "envelopes/kick.json", "clientId", Codec.mapper().writeValueAsString(id))))
                    .isEqualTo(new KickEnvelope(id));
        }

        @Test
        void presenceReasonMustNotBeEmptyButUnknownReasonsPassThrough() throws Exception {
            assertEnvelopeRejected(with("envelopes/offline.json", "reason", "\"\""))
                    .hasMessageContaining("'reason'");
            PresenceEvent event =
                    (PresenceEvent) Codec.decodeEnvelope(with("envelopes/offline.json", "reason", "\"future-reason\""));
            assertThat(event.reason()).isEqualTo("future-reason");
        }

        @Test
        void tokenMetadataOver4096BytesIsRejected() throws Exception {
            String ok = "{\"v\":1,\"clientId\":\"alice\",\"metadata\":\"" + "\u20ac".repeat(1365) + "\"}";
            assertThat(Codec.decodeToken(ok).metadata()).hasSize(1365);
            String tooBig = "{\"v\":1,\"clientId\":\"alice\",\"metadata\":\"" + "\u20ac".repeat(1366) + "\"}";
            assertThatThrownBy(() -> Codec.decodeToken(tooBig))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("4096");
        }

        @Test
        void tokenWithAnInvalidClientIdIsRejected() {
            assertThatThrownBy(() -> Codec.decodeToken(with("token.json", "clientId", "\"\"")))
                    .isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> Codec.decodeToken(with("token.json", "clientId", "\"" + LONG_129 + "\"")))
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Nested
    class Constructors {
        @Test
        void recordsValidateWhenBuiltInCode() {
            JsonNode data = TextNode.valueOf("x");
            assertThatThrownBy(() -> new MsgEnvelope("", "", List.of("bob"), data, false, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'id'");
            assertThatThrownBy(() -> new MsgEnvelope(ID, "", List.of(""), data, false, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new MsgEnvelope(ID, "", List.of("bob"), null, false, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'data'");
            assertThatThrownBy(() -> new ChanEnvelope(ID, "", LONG_129, data, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new KickEnvelope("a\u0000")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new MembershipEnvelope("joined", "alice", List.of("x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'type'");
            assertThatThrownBy(() -> new PresenceEvent("away", "alice", "", "n", "connect", 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'type'");
            assertThatThrownBy(() -> new TokenPayload("alice", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ErrorFrame("", "m")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void listsAreCopied() {
            List<String> to = new java.util.ArrayList<>(List.of("bob"));
            MsgEnvelope msg = new MsgEnvelope(ID, "", to, TextNode.valueOf("x"), false, TS);
            to.add("mallory");
            assertThat(msg.to()).containsExactly("bob");
            List<String> chans = new java.util.ArrayList<>(List.of("room"));
            MembershipEnvelope join = MembershipEnvelope.join("alice", chans);
            chans.clear();
            assertThat(join.chans()).containsExactly("room");
        }

        @Test
        void receiptStatusWireValues() {
            assertThat(ReceiptStatus.DELIVERED.wire()).isEqualTo("delivered");
            assertThat(ReceiptStatus.OFFLINE.wire()).isEqualTo("offline");
            assertThat(ReceiptStatus.fromWire("delivered")).isEqualTo(ReceiptStatus.DELIVERED);
            assertThat(ReceiptStatus.fromWire("offline")).isEqualTo(ReceiptStatus.OFFLINE);
            assertThatThrownBy(() -> ReceiptStatus.fromWire("DELIVERED")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ReceiptStatus.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void leaseLiveness() {
            NodeLease lease = new NodeLease(0, 1_000, 2);
            assertThat(lease.isAlive(16_000, 15_000)).isTrue();
            assertThat(lease.isAlive(16_001, 15_000)).isFalse();
            assertThat(lease.isAlive(1_000, 15_000)).isTrue();
        }

        @Test
        void leaseEncodingDoesNotLeakHelpers() {
            assertThat(Codec.encode(new NodeLease(1, 2, 3)))
                    .isEqualTo("{\"v\":1,\"startedAt\":1,\"seenAt\":2,\"connections\":3}");
        }

        @Test
        void leaseWithRoutingFieldsRoundTrips() throws ProtocolException {
            NodeLease lease = new NodeLease(1, 2, 3, Rendezvous.NAME, "ab", true);
            String json = Codec.encode(lease);
            assertThat(json)
                    .isEqualTo("{\"v\":1,\"startedAt\":1,\"seenAt\":2,\"connections\":3,"
                            + "\"routing\":\"hrw-sha256/1\",\"allow\":\"ab\",\"leaving\":true}");
            assertThat(Codec.decodeLease(json)).isEqualTo(lease);
            assertThat(Codec.encode(new NodeLease(1, 2, 3, Rendezvous.NAME, "", false)))
                    .doesNotContain("leaving");
            assertThat(Codec.decodeLease("{\"v\":1,\"startedAt\":1,\"seenAt\":2,\"connections\":3}"))
                    .isEqualTo(new NodeLease(1, 2, 3));
        }
    }

    @Nested
    class ToData {
        private String asMsgFrame(JsonNode data) {
            return Codec.encode(new MsgFrame("m", "", data, 1));
        }

        @Test
        void stringBecomesAJsonStringNotDoubleEncoded() {
            JsonNode data = Codec.toData("hello");
            assertThat(data.isTextual()).isTrue();
            assertThat(data.textValue()).isEqualTo("hello");
            assertThat(asMsgFrame(data))
                    .isEqualTo("{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"\",\"data\":\"hello\",\"ts\":1}");
        }

        @Test
        void stringThatLooksLikeJsonStaysAString() {
            JsonNode data = Codec.toData("{\"a\":1}");
            assertThat(data.isTextual()).isTrue();
            assertThat(asMsgFrame(data)).contains("\"data\":\"{\\\"a\\\":1}\"");
        }

        @Test
        void integerBecomesANumber() {
            JsonNode data = Codec.toData(42);
            assertThat(data.isInt()).isTrue();
            assertThat(data.intValue()).isEqualTo(42);
            assertThat(asMsgFrame(data)).contains("\"data\":42,");
        }

        @Test
        void mapBecomesAnObjectInOrder() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("b", 1);
            map.put("a", List.of("x", 2));
            map.put("n", null);
            JsonNode data = Codec.toData(map);
            assertThat(data.isObject()).isTrue();
            assertThat(asMsgFrame(data)).contains("\"data\":{\"b\":1,\"a\":[\"x\",2],\"n\":null},");
        }

        record Greeting(String text, int count, List<String> tags, BigDecimal price) {}

        @Test
        void recordBecomesItsJacksonJson() {
            JsonNode data = Codec.toData(new Greeting("h\u00e9llo", 3, List.of("a"), new BigDecimal("1.10")));
            assertThat(data.get("text").textValue()).isEqualTo("h\u00e9llo");
            assertThat(asMsgFrame(data))
                    .contains("\"data\":{\"text\":\"h\u00e9llo\",\"count\":3,\"tags\":[\"a\"],\"price\":1.10},");
        }

        public static final class Pojo {
            private final String name = "bob";
            private final long id = 9007199254740993L;

            public String getName() {
                return name;
            }

            public long getId() {
                return id;
            }
        }

        @Test
        void pojoBecomesItsJacksonJson() throws Exception {
            JsonNode data = Codec.toData(new Pojo());
            assertThat(data.get("name").textValue()).isEqualTo("bob");
            assertThat(data.get("id").longValue()).isEqualTo(9007199254740993L);
            assertThat(Codec.mapper().writeValueAsString(data))
                    .isEqualTo(Codec.mapper().writeValueAsString(new Pojo()));
        }

        record Measures(float f, double d, double negativeZero, double large) {}

        @Test
        void floatingPointFieldsAreWrittenAsJacksonWritesThem() throws Exception {
            Measures measures = new Measures(1.1f, 0.1d, -0.0d, 1e20);
            assertThat(Codec.mapper().writeValueAsString(Codec.toData(measures)))
                    .isEqualTo(Codec.mapper().writeValueAsString(measures))
                    .isEqualTo("{\"f\":1.1,\"d\":0.1,\"negativeZero\":-0.0,\"large\":1.0E20}");
        }

        @Test
        void jsonNodeIsUsedAsItIs() throws Exception {
            JsonNode node = Codec.mapper().readTree("{\"price\":1.10,\"s\":\"x\"}");
            assertThat(Codec.toData(node)).isSameAs(node);
            assertThat(asMsgFrame(Codec.toData(node))).contains("\"data\":{\"price\":1.10,\"s\":\"x\"},");
        }

        @Test
        void nullIsRejected() {
            assertThatThrownBy(() -> Codec.toData(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void unserializableObjectIsRejectedWithIllegalArgument() {
            assertThatThrownBy(() -> Codec.toData(new Object())).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void toDataOfADecodedMessageRoundTrips() throws Exception {
            MsgEnvelope msg = (MsgEnvelope) Codec.decodeEnvelope(read("envelopes/msg.json"));
            MsgEnvelope again =
                    new MsgEnvelope(msg.id(), msg.from(), msg.to(), Codec.toData(msg.data()), msg.receipt(), msg.ts());
            assertThat(Codec.encode(again)).isEqualTo(read("envelopes/msg.json"));
        }

        @Test
        void encodingNeverThrowsForValidRecords() {
            assertThatCode(() -> Codec.encode(new AllEnvelope("x", "", Codec.toData(List.of()), 0)))
                    .doesNotThrowAnyException();
        }
    }
}
