package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AckFrameTest {

    @Test
    void anAckOfZeroIsValid() throws Exception {
        assertThat(Codec.decodeFrame("{\"type\":\"ack\",\"seq\":0}")).isEqualTo(new AckFrame(0L));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"ack\"}", "{\"type\":\"ack\",\"seq\":null}", "{\"type\":\"ack\",\"seq\":-1}",
                "{\"type\":\"ack\",\"seq\":\"5\"}", "{\"type\":\"ack\",\"seq\":1.5}", "{\"type\":\"ack\",\"seq\":true}",
                "{\"v\":2,\"type\":\"ack\",\"seq\":1}", "{\"type\":\"ack\",\"seq\":99999999999999999999}"
            })
    void malformedAcksAreProtocolErrors(String json) {
        assertThatThrownBy(() -> Codec.decodeFrame(json)).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"\",\"data\":1,\"ts\":1,\"seq\":-1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"m\",\"from\":\"\",\"data\":1,\"ts\":1,\"seq\":\"1\"}",
                "{\"v\":1,\"type\":\"hello\",\"clientId\":\"a\",\"node\":\"n\",\"heartbeat\":1,\"session\":\"\"}"
            })
    void frameSequenceFieldsAreChecked(String json) {
        assertThatThrownBy(() -> Codec.decodeFrame(json)).isInstanceOf(ProtocolException.class);
    }
}
