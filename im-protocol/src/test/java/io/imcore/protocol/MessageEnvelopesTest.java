package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The direct decoding of msg/chan/all envelopes agrees with Jackson data binding on every input. */
class MessageEnvelopesTest {
    static final String D = "{\"a\":[1,2.50,null,true,\"x\"],\"n\":null,\"big\":123456789012345678901234567890}";

    static String[] inputs() {
        String ok = "\"id\":\"m1\",\"from\":\"alice\",\"to\":[\"bob\",\"carol\"],\"data\":" + D + ",\"receipt\":true,"
                + "\"ts\":1700000000000";
        return new String[] {
            Fixtures.read("envelopes/msg.json"),
            Fixtures.read("envelopes/chan.json"),
            Fixtures.read("envelopes/all.json"),
            "{\"v\":1,\"type\":\"msg\"," + ok + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok + ",\"extra\":{\"ignored\":1}}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace(",\"receipt\":true", "") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"receipt\":true", "\"receipt\":null") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"receipt\":true", "\"receipt\":\"yes\"") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"data\":" + D, "\"data\":null") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"data\":" + D + ",", "") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"data\":" + D, "\"data\":\"text\"") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("1700000000000", "1.5") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("1700000000000", "\"5\"") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("1700000000000", "123456789012345678901234567890") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace(",\"ts\":1700000000000", "") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"m1\"", "5") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"m1\"", "\"\"") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"alice\"", "\"\"") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("\"alice\"", "null") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("[\"bob\",\"carol\"]", "[]") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("[\"bob\",\"carol\"]", "\"bob\"") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("[\"bob\",\"carol\"]", "[\"bob\",7]") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("[\"bob\",\"carol\"]", "[\"bob\",null]") + "}",
            "{\"v\":1,\"type\":\"msg\"," + ok.replace("[\"bob\",\"carol\"]", "[\"bad\\u0001id\"]") + "}",
            "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"chan\":\"room\",\"data\":" + D + ",\"ts\":-3}",
            "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"chan\":\"\",\"data\":1,\"ts\":3}",
            "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"chan\":[\"room\"],\"data\":1,\"ts\":3}",
            "{\"v\":1,\"type\":\"chan\",\"id\":\"c1\",\"from\":\"\",\"data\":1,\"ts\":3}",
            "{\"v\":1,\"type\":\"all\",\"id\":\"a1\",\"from\":\"\",\"data\":[1,{}],\"ts\":0}",
            "{\"v\":1,\"type\":\"all\",\"id\":\"a1\",\"from\":\"x\\u007f\",\"data\":1,\"ts\":0}",
            "{\"v\":1,\"type\":\"all\",\"id\":\"a1\",\"from\":\"\",\"data\":1,\"ts\":false}",
        };
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void directDecodingAgreesWithDataBinding(String json) {
        Object direct = outcome(json, true);
        Object binding = outcome(json, false);

        assertThat(direct).isEqualTo(binding);
    }

    @ParameterizedTest
    @ValueSource(strings = {"envelopes/msg.json", "envelopes/chan.json", "envelopes/all.json"})
    void fixturesTakeTheDirectPath(String path) throws Exception {
        assertThat(MessageEnvelopes.fromTree(Codec.mapper().readTree(Fixtures.read(path))))
                .isNotNull();
    }

    /** The decoded envelope, or the class and message of the refusal. */
    private static Object outcome(String json, boolean direct) {
        try {
            return direct ? Codec.decodeEnvelope(json) : Codec.decodeEnvelopeByBinding(json);
        } catch (ProtocolException e) {
            return "refused: " + e.getMessage();
        } catch (RuntimeException e) {
            return catchThrowable(() -> {
                        throw e;
                    })
                    .getClass()
                    .getName();
        }
    }
}
