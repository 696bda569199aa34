package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    @Test
    void idsAre128BitBase64Url() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = MessageIds.newId();
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void idsAreAcceptedByTheEnvelopes() throws Exception {
        String id = MessageIds.newId();
        String json = Codec.encode(new KickEnvelope("x"))
                .replace(
                        "\"kick\",\"clientId\":\"x\"",
                        "\"all\",\"id\":\"" + id + "\",\"from\":\"\",\"data\":1,\"ts\":1");
        assertThat(((AllEnvelope) Codec.decodeEnvelope(json)).id()).isEqualTo(id);
    }
}
