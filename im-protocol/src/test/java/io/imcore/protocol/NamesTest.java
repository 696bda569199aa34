package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    private static final String EMOJI = "\uD83C\uDF89"; // 2 UTF-16 code units, 4 UTF-8 bytes

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "42",
                "-7",
                "user@example.com",
                "a b",
                "room:1/2",
                "\u7528\u6237",
                "h\u00e9llo",
                EMOJI,
                "\u0080",
                "\u00a0",
                "\u2028",
                "~",
                " "
            })
    void validNames(String name) {
        assertThat(Names.requireClientId(name)).isSameAs(name);
        assertThat(Names.requireChannel(name)).isSameAs(name);
        assertThat(Names.isValidClientId(name)).isTrue();
        assertThat(Names.isValidChannel(name)).isTrue();
    }

    @Test
    void lengthIsCountedInUtf16CodeUnits() {
        assertThat(Names.isValidClientId("x".repeat(128))).isTrue();
        assertThat(Names.isValidClientId("x".repeat(129))).isFalse();
        assertThat(Names.isValidClientId("x".repeat(126) + EMOJI)).isTrue(); // 128 code units
        assertThat(Names.isValidClientId("x".repeat(127) + EMOJI)).isFalse(); // 129 code units, 128 code points
        assertThat(Names.isValidChannel(EMOJI.repeat(64))).isTrue();
        assertThat(Names.isValidChannel(EMOJI.repeat(65))).isFalse();
        assertThat(Names.isValidChannel("\u4e16".repeat(128))).isTrue(); // 384 UTF-8 bytes is fine
    }

    @Test
    void tooLongIsRejectedWithTheRule() {
        assertThatThrownBy(() -> Names.requireClientId("x".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientId")
                .hasMessageContaining("128")
                .hasMessageContaining("129");
        assertThatThrownBy(() -> Names.requireChannel("x".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("channel name")
                .hasMessageContaining("128");
    }

    @Test
    void emptyAndNullAreRejected() {
        assertThatThrownBy(() -> Names.requireClientId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Names.requireClientId(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Names.requireChannel("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Names.requireChannel(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Names.isValidClientId(null)).isFalse();
        assertThat(Names.isValidChannel("")).isFalse();
    }

    @Test
    void everyControlCharacterIsRejected() {
        for (char c = 0; c < 0x20; c++) {
            String name = "a" + c + "b";
            assertThat(Names.isValidClientId(name)).as("U+%04X", (int) c).isFalse();
            assertThat(Names.isValidChannel(name)).as("U+%04X", (int) c).isFalse();
        }
        assertThat(Names.isValidClientId("a\u007fb")).isFalse();
        assertThat(Names.isValidClientId("\u007f")).isFalse();
        assertThat(Names.isValidClientId("\u0000")).isFalse();
        assertThat(Names.isValidClientId("ok\n")).isFalse();
    }

    @Test
    void controlCharacterMessageSaysWhereAndWhich() {
        assertThatThrownBy(() -> Names.requireClientId("al\u0001ice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control characters")
                .hasMessageContaining("U+0001")
                .hasMessageContaining("index 2");
        assertThatThrownBy(() -> Names.requireChannel("x\u007f"))
                .hasMessageContaining("U+007F")
                .hasMessageContaining("index 1");
    }

    @Test
    void requireClientIds() {
        assertThatCode(() -> Names.requireClientIds(List.of())).doesNotThrowAnyException();
        assertThatCode(() -> Names.requireClientIds(List.of("a", "42"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Names.requireClientIds(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Names.requireClientIds(List.of("a", ""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Names.requireClientIds(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Names.requireClientIds(List.of("x".repeat(129))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataUpTo4096Utf8Bytes() {
        assertThat(Names.requireMetadata("")).isEmpty();
        assertThat(Names.requireMetadata("x".repeat(4096))).hasSize(4096);
        assertThatThrownBy(() -> Names.requireMetadata("x".repeat(4097)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096");
        assertThatThrownBy(() -> Names.requireMetadata(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataIsCountedInUtf8BytesNotChars() {
        String euro3 = "\u20ac"; // 3 bytes
        String e2 = "\u00e9"; // 2 bytes
        assertThat(Names.requireMetadata(euro3.repeat(1365))).hasSize(1365); // 4095 bytes
        assertThat(Names.requireMetadata(euro3.repeat(1365) + "x")).hasSize(1366); // 4096 bytes
        assertThatThrownBy(() -> Names.requireMetadata(euro3.repeat(1366))) // 4098 bytes, 1366 chars
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Names.requireMetadata(e2.repeat(2048))).hasSize(2048); // 4096 bytes
        assertThatThrownBy(() -> Names.requireMetadata(e2.repeat(2048) + "x")) // 4097 bytes
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Names.requireMetadata(EMOJI.repeat(1024)).getBytes(StandardCharsets.UTF_8))
                .hasSize(4096);
        assertThatThrownBy(() -> Names.requireMetadata(EMOJI.repeat(1024) + "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataMayHoldAnything() {
        String anything = "{\"a\":1}\n\t\u0000 " + EMOJI;
        assertThat(Names.requireMetadata(anything)).isSameAs(anything);
    }

    @Test
    void constantsMatchThePage() {
        assertThat(Protocol.VERSION).isEqualTo(1);
        assertThat(Protocol.MAX_NAME_LENGTH).isEqualTo(128);
        assertThat(Protocol.MAX_METADATA_BYTES).isEqualTo(4096);
        assertThat(Protocol.DEFAULT_TOKEN_TTL_SECONDS).isEqualTo(30);
        assertThat(Protocol.DEFAULT_KEY_PREFIX).isEqualTo("im:");
    }
}
