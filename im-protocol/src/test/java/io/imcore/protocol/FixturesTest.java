package io.imcore.protocol;

import static io.imcore.protocol.Fixtures.DATA;
import static io.imcore.protocol.Fixtures.ID;
import static io.imcore.protocol.Fixtures.TS;
import static io.imcore.protocol.Fixtures.expectedData;
import static io.imcore.protocol.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every wire type against a hand-written fixture of PROTOCOL.md: the fixture decodes to the expected record,
 * and the record encodes back to the fixture's exact bytes.
 */
class FixturesTest {

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
                "envelopes/offline.json",
                "frames/hello.json",
                "frames/msg.json",
                "frames/chan.json",
                "frames/receipt.json",
                "frames/pong.json",
                "frames/error.json",
                "token.json",
                "lease.json",
                "frames/hello-resumed.json",
                "frames/msg-seq.json",
                "frames/chan-seq.json",
                "frames/receipt-seq.json"
            })
    void fixturesAreCompactSingleLinesStartingWithVersion1(String path) {
        String json = read(path);
        assertThat(json)
                .doesNotContain("\n")
                .doesNotContain("\r")
                .startsWith("{\"v\":1,")
                .endsWith("}");
    }

    @Test
    void dataFixtureIsTheSameInEveryMessageFile() {
        for (String path : List.of(
                "envelopes/msg.json",
                "envelopes/chan.json",
                "envelopes/all.json",
                "frames/msg.json",
                "frames/chan.json",
                "frames/msg-seq.json",
                "frames/chan-seq.json")) {
            assertThat(read(path)).as(path).contains("\"data\":" + DATA + ",\"");
        }
    }

    /** The fixed {@code data} value, as decoded: every JSON kind keeps its exact value and type. */
    static void assertData(JsonNode data) throws Exception {
        assertThat(data.isObject()).isTrue();
        assertThat(data.get("text").isTextual()).isTrue();
        assertThat(data.get("text").textValue()).isEqualTo("h\u00e9llo \u4e16\u754c \uD83C\uDF89");
        assertThat(data.get("price").isBigDecimal()).isTrue();
        assertThat(data.get("price").decimalValue()).isEqualTo(new BigDecimal("1.10"));
        assertThat(data.get("price").decimalValue().scale()).isEqualTo(2);
        assertThat(data.get("big").isBigInteger()).isTrue();
        assertThat(data.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(data.get("long").isIntegralNumber()).isTrue();
        assertThat(data.get("long").longValue()).isEqualTo(9007199254740993L);
        JsonNode list = data.get("nested").get("list");
        assertThat(data.get("nested").get("ok").booleanValue()).isTrue();
        assertThat(list.isArray()).isTrue();
        assertThat(list.size()).isEqualTo(5);
        assertThat(list.get(0).intValue()).isEqualTo(1);
        assertThat(list.get(1).textValue()).isEqualTo("two");
        assertThat(list.get(2).isNull()).isTrue();
        assertThat(list.get(3).isBoolean()).isTrue();
        assertThat(list.get(3).booleanValue()).isFalse();
        assertThat(list.get(4).decimalValue()).isEqualTo(new BigDecimal("-0.5"));
        assertThat(data.get("json").isTextual())
                .as("a string that looks like JSON stays a string")
                .isTrue();
        assertThat(data.get("json").textValue()).isEqualTo("{\"a\":1}");
        assertThat(data.get("esc").textValue()).isEqualTo("tab\there \"q\" \\ /");
        assertThat(data.has("nil")).isTrue();
        assertThat(data.get("nil").isNull()).isTrue();
        assertThat(Codec.mapper().writeValueAsString(data)).isEqualTo(DATA);
        assertThat(data).isEqualTo(expectedData());
    }

    @Nested
    class Envelopes {
        @Test
        void msg() throws Exception {
            String json = read("envelopes/msg.json");
            Envelope decoded = Codec.decodeEnvelope(json);
            assertThat(decoded).isInstanceOf(MsgEnvelope.class);
            MsgEnvelope msg = (MsgEnvelope) decoded;
            assertThat(msg.v()).isEqualTo(1);
            assertThat(msg.type()).isEqualTo("msg");
            assertThat(msg.id()).isEqualTo(ID);
            assertThat(msg.from()).isEqualTo("alice");
            assertThat(msg.to()).containsExactly("bob", "42", "123e4567-e89b-12d3-a456-4266141700ff");
            assertData(msg.data());
            assertThat(msg.receipt()).isTrue();
            assertThat(msg.ts()).isEqualTo(TS);

            MsgEnvelope expected = new MsgEnvelope(
                    ID,
                    "alice",
                    List.of("bob", "42", "123e4567-e89b-12d3-a456-4266141700ff"),
                    expectedData(),
                    true,
                    TS);
            assertThat(msg).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
            assertThat(Codec.encode(msg)).isEqualTo(json);
        }

        @Test
        void receipt() throws Exception {
            String json = read("envelopes/receipt.json");
            ReceiptEnvelope receipt = (ReceiptEnvelope) Codec.decodeEnvelope(json);
            assertThat(receipt.type()).isEqualTo("receipt");
            assertThat(receipt.id()).isEqualTo(ID);
            assertThat(receipt.from()).isEqualTo("bob");
            assertThat(receipt.to()).isEqualTo("alice");
            assertThat(receipt.status()).isEqualTo(ReceiptStatus.DELIVERED);
            assertThat(receipt.ts()).isEqualTo(1_700_000_000_123L);

            ReceiptEnvelope expected =
                    new ReceiptEnvelope(ID, "bob", "alice", ReceiptStatus.DELIVERED, 1_700_000_000_123L);
            assertThat(receipt).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void receiptOfflineStatusOnTheWire() throws Exception {
            String json = read("envelopes/receipt.json").replace("\"delivered\"", "\"offline\"");
            ReceiptEnvelope receipt = (ReceiptEnvelope) Codec.decodeEnvelope(json);
            assertThat(receipt.status()).isEqualTo(ReceiptStatus.OFFLINE);
            assertThat(Codec.encode(receipt)).isEqualTo(json);
        }

        @Test
        void kick() throws Exception {
            String json = read("envelopes/kick.json");
            KickEnvelope kick = (KickEnvelope) Codec.decodeEnvelope(json);
            assertThat(kick.type()).isEqualTo("kick");
            assertThat(kick.clientId()).isEqualTo("alice");
            assertThat(kick).isEqualTo(new KickEnvelope("alice"));
            assertThat(Codec.encode(new KickEnvelope("alice"))).isEqualTo(json);
        }

        @Test
        void join() throws Exception {
            String json = read("envelopes/join.json");
            MembershipEnvelope join = (MembershipEnvelope) Codec.decodeEnvelope(json);
            assertThat(join.type()).isEqualTo("join");
            assertThat(join.isJoin()).isTrue();
            assertThat(join.clientId()).isEqualTo("alice");
            assertThat(join.chans()).containsExactly("room-1", "news \u4e16\u754c");

            MembershipEnvelope expected = MembershipEnvelope.join("alice", List.of("room-1", "news \u4e16\u754c"));
            assertThat(join).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void leave() throws Exception {
            String json = read("envelopes/leave.json");
            MembershipEnvelope leave = (MembershipEnvelope) Codec.decodeEnvelope(json);
            assertThat(leave.type()).isEqualTo("leave");
            assertThat(leave.isJoin()).isFalse();
            assertThat(leave.clientId()).isEqualTo("alice");
            assertThat(leave.chans()).containsExactly("room-1");

            MembershipEnvelope expected = MembershipEnvelope.leave("alice", List.of("room-1"));
            assertThat(leave).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void chan() throws Exception {
            String json = read("envelopes/chan.json");
            ChanEnvelope chan = (ChanEnvelope) Codec.decodeEnvelope(json);
            assertThat(chan.type()).isEqualTo("chan");
            assertThat(chan.id()).isEqualTo(ID);
            assertThat(chan.from()).isEqualTo("alice");
            assertThat(chan.chan()).isEqualTo("room-1");
            assertData(chan.data());
            assertThat(chan.ts()).isEqualTo(TS);

            ChanEnvelope expected = new ChanEnvelope(ID, "alice", "room-1", expectedData(), TS);
            assertThat(chan).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
            assertThat(Codec.encode(chan)).isEqualTo(json);
        }

        @Test
        void all() throws Exception {
            String json = read("envelopes/all.json");
            AllEnvelope all = (AllEnvelope) Codec.decodeEnvelope(json);
            assertThat(all.type()).isEqualTo("all");
            assertThat(all.id()).isEqualTo(ID);
            assertThat(all.from()).isEmpty();
            assertData(all.data());
            assertThat(all.ts()).isEqualTo(TS);

            AllEnvelope expected = new AllEnvelope(ID, "", expectedData(), TS);
            assertThat(all).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
            assertThat(Codec.encode(all)).isEqualTo(json);
        }

        @Test
        void online() throws Exception {
            String json = read("envelopes/online.json");
            PresenceEvent online = (PresenceEvent) Codec.decodeEnvelope(json);
            assertThat(online.type()).isEqualTo("online");
            assertThat(online.isOnline()).isTrue();
            assertThat(online.clientId()).isEqualTo("alice");
            assertThat(online.metadata()).isEqualTo("{\"device\":\"web\"}");
            assertThat(online.node()).isEqualTo("127.0.0.1:6001");
            assertThat(online.reason()).isEqualTo(PresenceEvent.REASON_CONNECT);
            assertThat(online.ts()).isEqualTo(1_700_000_000_456L);

            PresenceEvent expected = new PresenceEvent(
                    PresenceEvent.ONLINE,
                    "alice",
                    "{\"device\":\"web\"}",
                    "127.0.0.1:6001",
                    "connect",
                    1_700_000_000_456L);
            assertThat(online).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void offline() throws Exception {
            String json = read("envelopes/offline.json");
            PresenceEvent offline = (PresenceEvent) Codec.decodeEnvelope(json);
            assertThat(offline.type()).isEqualTo("offline");
            assertThat(offline.isOnline()).isFalse();
            assertThat(offline.clientId()).isEqualTo("alice");
            assertThat(offline.metadata()).isEmpty();
            assertThat(offline.node()).isEqualTo("wss://im2.example.com");
            assertThat(offline.reason())
                    .isEqualTo(PresenceEvent.REASON_NODE_DEAD)
                    .isEqualTo("node-dead");
            assertThat(offline.ts()).isEqualTo(1_700_000_000_789L);

            PresenceEvent expected = new PresenceEvent(
                    PresenceEvent.OFFLINE, "alice", "", "wss://im2.example.com", "node-dead", 1_700_000_000_789L);
            assertThat(offline).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void reasonConstantsAreThePageWords() {
            assertThat(List.of(
                            PresenceEvent.REASON_CONNECT,
                            PresenceEvent.REASON_DISCONNECT,
                            PresenceEvent.REASON_KICK,
                            PresenceEvent.REASON_SLOW,
                            PresenceEvent.REASON_SHUTDOWN,
                            PresenceEvent.REASON_NODE_DEAD))
                    .containsExactly("connect", "disconnect", "kick", "slow", "shutdown", "node-dead");
        }
    }

    @Nested
    class Frames {
        @Test
        void hello() throws Exception {
            String json = read("frames/hello.json");
            HelloFrame hello = (HelloFrame) Codec.decodeFrame(json);
            assertThat(hello.v()).isEqualTo(1);
            assertThat(hello.type()).isEqualTo("hello");
            assertThat(hello.clientId()).isEqualTo("alice");
            assertThat(hello.node()).isEqualTo("127.0.0.1:6001");
            assertThat(hello.heartbeat()).isEqualTo(25);

            HelloFrame expected = new HelloFrame("alice", "127.0.0.1:6001", 25);
            assertThat(hello).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void msg() throws Exception {
            String json = read("frames/msg.json");
            MsgFrame msg = (MsgFrame) Codec.decodeFrame(json);
            assertThat(msg.type()).isEqualTo("msg");
            assertThat(msg.id()).isEqualTo(ID);
            assertThat(msg.from()).isEqualTo("alice");
            assertData(msg.data());
            assertThat(msg.ts()).isEqualTo(TS);

            MsgFrame expected = new MsgFrame(ID, "alice", expectedData(), TS);
            assertThat(msg).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
            assertThat(Codec.encode(msg)).isEqualTo(json);
        }

        @Test
        void chan() throws Exception {
            String json = read("frames/chan.json");
            ChanFrame chan = (ChanFrame) Codec.decodeFrame(json);
            assertThat(chan.type()).isEqualTo("chan");
            assertThat(chan.id()).isEqualTo(ID);
            assertThat(chan.chan()).isEqualTo("room-1");
            assertThat(chan.from()).isEqualTo("alice");
            assertData(chan.data());
            assertThat(chan.ts()).isEqualTo(TS);

            ChanFrame expected = new ChanFrame(ID, "room-1", "alice", expectedData(), TS);
            assertThat(chan).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
            assertThat(Codec.encode(chan)).isEqualTo(json);
        }

        @Test
        void receipt() throws Exception {
            String json = read("frames/receipt.json");
            ReceiptFrame receipt = (ReceiptFrame) Codec.decodeFrame(json);
            assertThat(receipt.type()).isEqualTo("receipt");
            assertThat(receipt.id()).isEqualTo(ID);
            assertThat(receipt.to()).isEqualTo("bob");
            assertThat(receipt.status()).isEqualTo(ReceiptStatus.OFFLINE);
            assertThat(receipt.ts()).isEqualTo(1_700_000_000_123L);

            ReceiptFrame expected = new ReceiptFrame(ID, "bob", ReceiptStatus.OFFLINE, 1_700_000_000_123L);
            assertThat(receipt).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void pong() throws Exception {
            String json = read("frames/pong.json");
            PongFrame pong = (PongFrame) Codec.decodeFrame(json);
            assertThat(pong.type()).isEqualTo("pong");
            assertThat(pong.ts()).isEqualTo(1_700_000_000_999L);
            assertThat(pong).isEqualTo(new PongFrame(1_700_000_000_999L));
            assertThat(Codec.encode(new PongFrame(1_700_000_000_999L))).isEqualTo(json);
        }

        @Test
        void error() throws Exception {
            String json = read("frames/error.json");
            ErrorFrame error = (ErrorFrame) Codec.decodeFrame(json);
            assertThat(error.type()).isEqualTo("error");
            assertThat(error.code()).isEqualTo(ErrorFrame.CODE_UNKNOWN_TYPE).isEqualTo("unknown-type");
            assertThat(error.message()).isEqualTo("frame type \"x\" is not accepted");

            ErrorFrame expected = new ErrorFrame("unknown-type", "frame type \"x\" is not accepted");
            assertThat(error).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void helloOfAResumedSession() throws Exception {
            String json = read("frames/hello-resumed.json");
            HelloFrame hello = (HelloFrame) Codec.decodeFrame(json);
            assertThat(hello.session()).isEqualTo("k3x9q2e1-1f");
            assertThat(hello.seq()).isEqualTo(41L);
            assertThat(hello.resumed()).isTrue();

            HelloFrame expected = new HelloFrame("alice", "127.0.0.1:6001", 25, "k3x9q2e1-1f", 41L, true);
            assertThat(hello).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void aV1HelloDecodesWithoutSessionFields() throws Exception {
            HelloFrame hello = (HelloFrame) Codec.decodeFrame(read("frames/hello.json"));
            assertThat(hello.session()).isNull();
            assertThat(hello.seq()).isNull();
            assertThat(hello.resumed()).isNull();
        }

        @Test
        void msgWithSeq() throws Exception {
            String json = read("frames/msg-seq.json");
            MsgFrame msg = (MsgFrame) Codec.decodeFrame(json);
            assertThat(msg.seq()).isEqualTo(42L);
            assertData(msg.data());

            MsgFrame expected = new MsgFrame(ID, "alice", expectedData(), TS, 42L);
            assertThat(msg).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
            assertThat(((MsgFrame) Codec.decodeFrame(read("frames/msg.json"))).seq())
                    .isNull();
        }

        @Test
        void chanWithSeq() throws Exception {
            String json = read("frames/chan-seq.json");
            ChanFrame chan = (ChanFrame) Codec.decodeFrame(json);
            assertThat(chan.seq()).isEqualTo(43L);

            ChanFrame expected = new ChanFrame(ID, "room-1", "alice", expectedData(), TS, 43L);
            assertThat(chan).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void receiptWithSeq() throws Exception {
            String json = read("frames/receipt-seq.json");
            ReceiptFrame receipt = (ReceiptFrame) Codec.decodeFrame(json);
            assertThat(receipt.seq()).isEqualTo(44L);

            ReceiptFrame expected = new ReceiptFrame(ID, "bob", ReceiptStatus.OFFLINE, 1_700_000_000_123L, 44L);
            assertThat(receipt).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        /** Like ping, the page shows the terminal's ack without {@code v}; encoded here it carries one. */
        @Test
        void ack() throws Exception {
            String json = read("frames/ack.json");
            assertThat(json).isEqualTo("{\"type\":\"ack\",\"seq\":44}");
            Frame ack = Codec.decodeFrame(json);
            assertThat(ack).isInstanceOf(AckFrame.class).isEqualTo(new AckFrame(44L));

            String encoded = Codec.encode(new AckFrame(44L));
            assertThat(encoded).isEqualTo("{\"v\":1,\"type\":\"ack\",\"seq\":44}");
            assertThat(Codec.decodeFrame(encoded)).isEqualTo(new AckFrame(44L));
        }

        /**
         * The page shows the terminal's ping as {@code {"type":"ping"}} (no {@code v}); the fixture is that.
         * When this codebase writes a ping it adds {@code "v":1}, which a node accepts too.
         */
        @Test
        void ping() throws Exception {
            String json = read("frames/ping.json");
            assertThat(json).isEqualTo("{\"type\":\"ping\"}");
            Frame ping = Codec.decodeFrame(json);
            assertThat(ping).isInstanceOf(PingFrame.class).isEqualTo(new PingFrame());
            assertThat(ping.type()).isEqualTo("ping");

            String encoded = Codec.encode(new PingFrame());
            assertThat(encoded).isEqualTo("{\"v\":1,\"type\":\"ping\"}");
            assertThat(Codec.decodeFrame(encoded)).isEqualTo(new PingFrame());
        }
    }

    @Nested
    class Stored {
        @Test
        void token() throws Exception {
            String json = read("token.json");
            TokenPayload token = Codec.decodeToken(json);
            assertThat(token.v()).isEqualTo(1);
            assertThat(token.clientId()).isEqualTo("alice");
            assertThat(token.metadata()).isEqualTo("{\"device\":\"web\",\"lang\":\"fr\"}");

            TokenPayload expected = new TokenPayload("alice", "{\"device\":\"web\",\"lang\":\"fr\"}");
            assertThat(token).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }

        @Test
        void tokenWithEmptyMetadata() throws Exception {
            String json = "{\"v\":1,\"clientId\":\"alice\",\"metadata\":\"\"}";
            assertThat(Codec.decodeToken(json)).isEqualTo(new TokenPayload("alice", ""));
            assertThat(Codec.encode(new TokenPayload("alice", ""))).isEqualTo(json);
        }

        @Test
        void lease() throws Exception {
            String json = read("lease.json");
            NodeLease lease = Codec.decodeLease(json);
            assertThat(lease.v()).isEqualTo(1);
            assertThat(lease.startedAt()).isEqualTo(1_700_000_000_000L);
            assertThat(lease.seenAt()).isEqualTo(1_700_000_005_000L);
            assertThat(lease.connections()).isEqualTo(3);

            NodeLease expected = new NodeLease(1_700_000_000_000L, 1_700_000_005_000L, 3);
            assertThat(lease).isEqualTo(expected);
            assertThat(Codec.encode(expected)).isEqualTo(json);
        }
    }

    /** What a node does with an envelope's {@code data}: it reaches the terminal byte for byte. */
    @Nested
    class PassThrough {
        @Test
        void msgEnvelopeBecomesTheMsgFrameFixture() throws Exception {
            MsgEnvelope env = (MsgEnvelope) Codec.decodeEnvelope(read("envelopes/msg.json"));
            MsgFrame frame = new MsgFrame(env.id(), env.from(), env.data(), env.ts());
            assertThat(Codec.encode(frame)).isEqualTo(read("frames/msg.json"));
        }

        @Test
        void chanEnvelopeBecomesTheChanFrameFixture() throws Exception {
            ChanEnvelope env = (ChanEnvelope) Codec.decodeEnvelope(read("envelopes/chan.json"));
            ChanFrame frame = new ChanFrame(env.id(), env.chan(), env.from(), env.data(), env.ts());
            assertThat(Codec.encode(frame)).isEqualTo(read("frames/chan.json"));
        }

        @Test
        void allEnvelopeArrivesAsAMsgFrameWithTheSameData() throws Exception {
            AllEnvelope env = (AllEnvelope) Codec.decodeEnvelope(read("envelopes/all.json"));
            MsgFrame frame = new MsgFrame(env.id(), env.from(), env.data(), env.ts());
            assertThat(Codec.encode(frame))
                    .isEqualTo("{\"v\":1,\"type\":\"msg\",\"id\":\"" + ID + "\",\"from\":\"\",\"data\":" + DATA
                            + ",\"ts\":" + TS + "}");
        }

        @Test
        void scalarDataValuesKeepTheirKind() throws Exception {
            for (String data : List.of(
                    "\"just a string\"",
                    "\"{\\\"a\\\":1}\"",
                    "42",
                    "-7",
                    "1.10",
                    "-1.50",
                    "0.000",
                    "123456789012345678901234567890",
                    "true",
                    "null",
                    "[]",
                    "{}",
                    "[1,\"x\",null]")) {
                String json = "{\"v\":1,\"type\":\"msg\",\"id\":\"" + ID + "\",\"from\":\"\",\"data\":" + data
                        + ",\"ts\":" + TS + "}";
                Frame frame = Codec.decodeFrame(json);
                assertThat(Codec.encode(frame)).as(data).isEqualTo(json);
            }
        }
    }
}
