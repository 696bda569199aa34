package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@SuppressWarnings("deprecation") // the legacy partition stays tested while it exists
class PartitionerTest {
    private static long crc32(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    @Nested
    class Uuids {
        @Test
        void lastFourHexDigits() {
            assertThat(Partitioner.partition("123e4567-e89b-12d3-a456-4266141700ff"))
                    .isEqualTo(255);
            assertThat(Partitioner.partition("00000000-0000-0000-0000-000000000000"))
                    .isZero();
            assertThat(Partitioner.partition("ffffffff-ffff-ffff-ffff-ffffffffffff"))
                    .isEqualTo(65535);
            assertThat(Partitioner.partition("123e4567-e89b-12d3-a456-42661417abcd"))
                    .isEqualTo(0xabcd);
            // only the last 4 digits count, the 8 before them do not
            assertThat(Partitioner.partition("123e4567-e89b-12d3-a456-ffffffff00ff"))
                    .isEqualTo(255);
        }

        @Test
        void anyCase() {
            assertThat(Partitioner.partition("123E4567-E89B-12D3-A456-4266141700FF"))
                    .isEqualTo(255);
            assertThat(Partitioner.partition("123e4567-E89B-12d3-A456-42661417aBcD"))
                    .isEqualTo(0xabcd);
        }

        @Test
        void index() {
            String id = "123e4567-e89b-12d3-a456-4266141700ff";
            assertThat(Partitioner.index(id, 1)).isZero();
            assertThat(Partitioner.index(id, 3)).isZero();
            assertThat(Partitioner.index(id, 4)).isEqualTo(3);
            assertThat(Partitioner.index(id, 7)).isEqualTo(3);
            assertThat(Partitioner.index(id, 256)).isEqualTo(255);
            assertThat(Partitioner.index(id.toUpperCase(), 7)).isEqualTo(3);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "123e4567e89b12d3a4564266141700ff", // no hyphens
                    "{123e4567-e89b-12d3-a456-4266141700ff}", // braces
                    "123e4567-e89b-12d3-a456-4266141700f", // 35 chars
                    "123e4567-e89b-12d3-a456-4266141700fff", // 37 chars
                    "123e4567e-89b-12d3-a456-4266141700ff", // hyphen misplaced
                    "123e4567-e89b-12d3-a456-4266141700fg", // not hex
                    " 23e4567-e89b-12d3-a456-4266141700ff"
                })
        void notCanonicalUuidsFallBackToCrc32(String id) {
            assertThat(Partitioner.partition(id)).isEqualTo(crc32(id)).isNotEqualTo(255);
        }
    }

    @Nested
    class Digits {
        @Test
        void valueOfTheNumber() {
            assertThat(Partitioner.partition("42")).isEqualTo(42);
            assertThat(Partitioner.partition("0")).isZero();
            assertThat(Partitioner.partition("007")).isEqualTo(7);
            assertThat(Partitioner.partition("-7")).isEqualTo(-7);
            assertThat(Partitioner.partition("-0")).isZero();
            assertThat(Partitioner.partition("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
            assertThat(Partitioner.partition("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        }

        @Test
        void negativeValuesUseFloorMod() {
            assertThat(Partitioner.index("-7", 3)).isEqualTo(2);
            assertThat(Partitioner.index("-1", 5)).isEqualTo(4);
            assertThat(Partitioner.index("-9223372036854775808", 3)).isEqualTo(1);
            assertThat(Partitioner.index("9223372036854775807", 3)).isEqualTo(1);
        }

        @Test
        void positiveValues() {
            assertThat(Partitioner.index("42", 3)).isZero();
            assertThat(Partitioner.index("43", 3)).isEqualTo(1);
            assertThat(Partitioner.index("44", 3)).isEqualTo(2);
            assertThat(Partitioner.index("42", 5)).isEqualTo(2);
            assertThat(Partitioner.index("1000001", 10)).isEqualTo(1);
        }

        @Test
        void twentyDigitsOverflowToCrc32() {
            String id = "12345678901234567890";
            assertThat(Partitioner.partition(id)).isEqualTo(crc32(id)).isEqualTo(2422413810L);
            assertThat(Partitioner.index(id, 3)).isZero();
            assertThat(Partitioner.partition("9223372036854775808"))
                    .isEqualTo(crc32("9223372036854775808"))
                    .isEqualTo(3528791887L);
            assertThat(Partitioner.partition("-9223372036854775809")).isEqualTo(crc32("-9223372036854775809"));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {"+5", "1e3", "4.2", "42 ", " 42", "0x2a", "-", "--7", "4_2", "\u0664\u0662", "\uff14\uff12"})
        void notAsciiDigitsFallBackToCrc32(String id) {
            assertThat(Partitioner.partition(id)).isEqualTo(crc32(id));
        }

        @Test
        void nonAsciiDigitsAreNotNumbers() {
            // Arabic-Indic "42": Java's Long.parseLong would read it as 42, the page says ASCII digits only
            assertThat(Partitioner.partition("\u0664\u0662"))
                    .isEqualTo(3427491873L)
                    .isNotEqualTo(42);
        }
    }

    @Nested
    class Crc32 {
        @Test
        void helloIsTheWellKnownValue() {
            assertThat(Partitioner.partition("hello")).isEqualTo(crc32("hello")).isEqualTo(907060870L);
            assertThat(Partitioner.index("hello", 3)).isEqualTo(1);
            assertThat(Partitioner.index("hello", 5)).isZero();
        }

        @Test
        void unsignedAbove2pow31() {
            // CRC32("a") = 0xE8B7BE43; read as a signed int it would be negative and land on index 2 of 3
            assertThat(Partitioner.partition("a")).isEqualTo(3904355907L).isEqualTo(0xE8B7BE43L);
            assertThat(Partitioner.index("a", 3)).isZero();
            assertThat(Partitioner.index("a", 5)).isEqualTo(2);
        }

        @Test
        void otherTextIds() {
            assertThat(Partitioner.partition("user-1")).isEqualTo(2116437524L);
            assertThat(Partitioner.index("user-1", 3)).isEqualTo(2);
        }

        @Test
        void nonAsciiUsesUtf8Bytes() {
            assertThat(Partitioner.partition("h\u00e9llo"))
                    .isEqualTo(crc32("h\u00e9llo"))
                    .isEqualTo(2654700086L);
            CRC32 latin1 = new CRC32();
            latin1.update("h\u00e9llo".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(Partitioner.partition("h\u00e9llo")).isNotEqualTo(latin1.getValue());
            assertThat(Partitioner.partition("\u7528\u6237" + "42")).isEqualTo(1047188724L);
            assertThat(Partitioner.index("\u7528\u6237" + "42", 5)).isEqualTo(4);
            String emoji = "\uD83C\uDF89 party";
            assertThat(Partitioner.partition(emoji)).isEqualTo(crc32(emoji));
        }
    }

    @Nested
    class Index {
        @Test
        void alwaysWithinBounds() {
            List<String> ids = List.of(
                    "a",
                    "hello",
                    "42",
                    "-7",
                    "-9223372036854775808",
                    "9223372036854775807",
                    "12345678901234567890",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff",
                    "h\u00e9llo",
                    "x".repeat(128));
            for (int servers = 1; servers <= 17; servers++) {
                for (String id : ids) {
                    assertThat(Partitioner.index(id, servers))
                            .as("%s over %d", id, servers)
                            .isBetween(0, servers - 1)
                            .isEqualTo((int) Math.floorMod(Partitioner.partition(id), (long) servers));
                }
            }
        }

        @Test
        void manyIdsSpreadOverEveryServer() {
            int[] counts = new int[4];
            for (int i = 0; i < 4000; i++) {
                counts[Partitioner.index("user-" + i, 4)]++;
            }
            for (int count : counts) {
                assertThat(count).isBetween(800, 1200);
            }
        }

        @ParameterizedTest
        @CsvSource({"0", "-1", "-3"})
        void nonPositiveServersThrow(int servers) {
            assertThatThrownBy(() -> Partitioner.index("42", servers))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(servers));
        }
    }
}
