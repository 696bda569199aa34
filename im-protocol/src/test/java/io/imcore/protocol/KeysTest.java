package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every key of PROTOCOL.md sections 4 and 5, as written there with {@code <P>} replaced. */
class KeysTest {
    private static final String ENTRY = "127.0.0.1:6001";
    private static final String TOKEN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    @Test
    void defaultPrefix() {
        Keys keys = Keys.withDefaultPrefix();
        assertThat(keys.prefix()).isEqualTo("im:");
        assertThat(keys.token(TOKEN)).isEqualTo("im:token:" + TOKEN);
        assertThat(keys.nodeOnline(ENTRY)).isEqualTo("im:node:127.0.0.1:6001:online");
        assertThat(keys.nodes()).isEqualTo("im:nodes");
        assertThat(keys.sweep(ENTRY)).isEqualTo("im:sweep:127.0.0.1:6001");
        assertThat(keys.chan("room-1")).isEqualTo("im:chan:room-1");
        assertThat(keys.clientChans("alice")).isEqualTo("im:client:alice:chans");
        assertThat(keys.chans()).isEqualTo("im:chans");
        assertThat(keys.inbox(ENTRY)).isEqualTo("im:node:127.0.0.1:6001");
        assertThat(keys.broadcast()).isEqualTo("im:broadcast");
        assertThat(keys.events()).isEqualTo("im:events");
    }

    @Test
    void explicitImPrefixEqualsDefault() {
        Keys keys = new Keys("im:");
        assertThat(keys.prefix()).isEqualTo(Protocol.DEFAULT_KEY_PREFIX);
        assertThat(keys.inbox("wss://im2.example.com/")).isEqualTo("im:node:wss://im2.example.com/");
        assertThat(keys.nodeOnline("wss://im2.example.com/")).isEqualTo("im:node:wss://im2.example.com/:online");
        assertThat(keys.sweep("wss://im2.example.com/")).isEqualTo("im:sweep:wss://im2.example.com/");
        assertThat(keys.clientChans("123e4567-e89b-12d3-a456-4266141700ff"))
                .isEqualTo("im:client:123e4567-e89b-12d3-a456-4266141700ff:chans");
        assertThat(keys.chan("\u4e16\u754c")).isEqualTo("im:chan:\u4e16\u754c");
    }

    @Test
    void customPrefix() {
        Keys keys = new Keys("acme{prod}:");
        assertThat(keys.prefix()).isEqualTo("acme{prod}:");
        assertThat(keys.token(TOKEN)).isEqualTo("acme{prod}:token:" + TOKEN);
        assertThat(keys.nodeOnline(ENTRY)).isEqualTo("acme{prod}:node:127.0.0.1:6001:online");
        assertThat(keys.nodes()).isEqualTo("acme{prod}:nodes");
        assertThat(keys.sweep(ENTRY)).isEqualTo("acme{prod}:sweep:127.0.0.1:6001");
        assertThat(keys.chan("room-1")).isEqualTo("acme{prod}:chan:room-1");
        assertThat(keys.clientChans("alice")).isEqualTo("acme{prod}:client:alice:chans");
        assertThat(keys.chans()).isEqualTo("acme{prod}:chans");
        assertThat(keys.inbox(ENTRY)).isEqualTo("acme{prod}:node:127.0.0.1:6001");
        assertThat(keys.broadcast()).isEqualTo("acme{prod}:broadcast");
        assertThat(keys.events()).isEqualTo("acme{prod}:events");
    }

    @Test
    void emptyPrefixIsAllowed() {
        Keys keys = new Keys("");
        assertThat(keys.nodes()).isEqualTo("nodes");
        assertThat(keys.inbox(ENTRY)).isEqualTo("node:127.0.0.1:6001");
        assertThat(keys.clientChans("alice")).isEqualTo("client:alice:chans");
        assertThat(keys.events()).isEqualTo("events");
    }

    @Test
    void nullPrefixIsRejected() {
        assertThatThrownBy(() -> new Keys(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void inboxAndOnlineHashAreDistinctNames() {
        Keys keys = Keys.withDefaultPrefix();
        assertThat(keys.inbox(ENTRY)).isNotEqualTo(keys.nodeOnline(ENTRY));
        assertThat(keys.nodeOnline(ENTRY)).startsWith(keys.inbox(ENTRY)).endsWith(":online");
    }
}
