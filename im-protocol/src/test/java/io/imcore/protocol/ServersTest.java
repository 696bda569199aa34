package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServersTest {
    private static final List<String> THREE =
            List.of("127.0.0.1:6001", "ws://im2.example.com:8080", "wss://im3.example.com/");

    @Test
    void keepsEntriesInOrderAsWritten() {
        Servers servers = Servers.of(THREE);
        assertThat(servers.entries()).containsExactlyElementsOf(THREE);
        assertThat(servers.size()).isEqualTo(3);
        assertThat(servers.contains("127.0.0.1:6001")).isTrue();
        assertThat(servers.contains("wss://im3.example.com/")).isTrue();
        // compared as written: no normalisation
        assertThat(servers.contains("wss://im3.example.com")).isFalse();
        assertThat(servers.contains("localhost:6001")).isFalse();
        assertThat(servers.contains("ws://127.0.0.1:6001")).isFalse();
        assertThat(servers.toString()).contains("127.0.0.1:6001");
    }

    @Test
    void entriesAreACopy() {
        List<String> list = new ArrayList<>(List.of("a:1", "b:2"));
        Servers servers = Servers.of(list);
        list.add("c:3");
        assertThat(servers.entries()).containsExactly("a:1", "b:2");
        assertThatThrownBy(() -> servers.entries().add("d:4")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:6001,                 ws://127.0.0.1:6001/ws",
        "localhost:80,                   ws://localhost:80/ws",
        "im1.example.com:6001,           ws://im1.example.com:6001/ws",
        "[::1]:6001,                     ws://[::1]:6001/ws",
        "ws://im2.example.com:8080,      ws://im2.example.com:8080/ws",
        "wss://im3.example.com/,         wss://im3.example.com/ws",
        "wss://im3.example.com,          wss://im3.example.com/ws",
        "wss://example.com/push/,        wss://example.com/push/ws",
        "wss://example.com/push,         wss://example.com/push/ws"
    })
    void connectUrl(String entry, String url) {
        assertThat(Servers.requireValidEntry(entry)).isEqualTo(entry);
        assertThat(Servers.connectUrl(entry)).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4:1", "host:65535", "my-host_1:6001", "ws://h", "wss://h:443/a/b"})
    void validEntries(String entry) {
        assertThat(Servers.of(List.of(entry)).entries()).containsExactly(entry);
    }

    @Test
    void duplicatesAreRejected() {
        assertThatThrownBy(() -> Servers.of(List.of("a:1", "b:2", "a:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a:1'")
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> Servers.of(List.of("wss://x/", "wss://x/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wss://x/");
    }

    @Test
    void entriesThatOnlyLookAlikeAreNotDuplicates() {
        // "compared as written": these are distinct entries, even if they may reach the same node
        assertThat(Servers.of(List.of("wss://x", "wss://x/")).size()).isEqualTo(2);
    }

    @Test
    void emptyOrNullListIsRejected() {
        assertThatThrownBy(() -> Servers.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> Servers.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "ws://",
                "wss://",
                "http://x:1",
                "https://x:1",
                "host:99999",
                "host:65536",
                "host:0",
                "host:",
                ":6001",
                "host:port",
                "a b:1",
                "user@host:1",
                "host:1/ws",
                "host:-1",
                "ws://host:1/?q=1",
                "ws://host#frag",
                "WS://host:1"
            })
    void badEntriesAreRejectedNamingTheEntry(String entry) {
        assertThatThrownBy(() -> Servers.requireValidEntry(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
        assertThatThrownBy(() -> Servers.of(List.of("good:1", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
    }

    @Test
    void blankOrNullEntriesAreRejected() {
        assertThatThrownBy(() -> Servers.requireValidEntry("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Servers.requireValidEntry("  ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Servers.requireValidEntry(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Servers.of(Arrays.asList("a:1", null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entryForIsTheRendezvousHomeWhateverTheOrder() {
        Servers servers = Servers.of(THREE);
        List<String> reversed = new ArrayList<>(THREE);
        java.util.Collections.reverse(reversed);
        Servers other = Servers.of(reversed);
        for (int i = -50; i < 200; i++) {
            String id = i % 2 == 0 ? Integer.toString(i) : "user-" + i;
            assertThat(servers.entryFor(id))
                    .isEqualTo(Rendezvous.home(id, THREE))
                    .isEqualTo(other.entryFor(id));
        }
    }

    @Test
    void singleServerOwnsEverything() {
        Servers servers = Servers.of(List.of("only:1"));
        for (String id : List.of("a", "42", "-7", "hello", "12345678901234567890")) {
            assertThat(servers.entryFor(id)).isEqualTo("only:1");
        }
    }
}
