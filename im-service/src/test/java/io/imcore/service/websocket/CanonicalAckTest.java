package io.imcore.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fast path for acks as imcore.js writes them; anything else goes to the codec (-1). */
class CanonicalAckTest {
    @Test
    void anAckAsImcoreJsWritesItIsReadWithoutTheCodec() {
        assertThat(TerminalEndpoint.canonicalAckSeq("{\"type\":\"ack\",\"seq\":0}"))
                .isZero();
        assertThat(TerminalEndpoint.canonicalAckSeq("{\"type\":\"ack\",\"seq\":1234}"))
                .isEqualTo(1234);
        assertThat(TerminalEndpoint.canonicalAckSeq("{\"type\":\"ack\",\"seq\":999999999999999999}"))
                .isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void everythingElseIsLeftToTheCodec() {
        for (String other : new String[] {
            "{\"type\":\"ack\",\"seq\":}",
            "{\"type\":\"ack\",\"seq\":-1}",
            "{\"type\":\"ack\",\"seq\":07}",
            "{\"type\":\"ack\",\"seq\":1.5}",
            "{\"type\":\"ack\",\"seq\":\"1\"}",
            "{\"type\":\"ack\",\"seq\":1 }",
            "{\"type\":\"ack\",\"seq\":1,\"v\":1}",
            "{\"v\":1,\"type\":\"ack\",\"seq\":1}",
            "{\"type\":\"ack\",\"seq\":9999999999999999999}",
            "{\"type\":\"ping\"}",
            ""
        }) {
            assertThat(TerminalEndpoint.canonicalAckSeq(other)).as(other).isEqualTo(-1);
        }
    }
}
