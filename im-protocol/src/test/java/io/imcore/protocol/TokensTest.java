package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokensTest {
    @Test
    void tokensAre43Base64UrlCharactersOf32Bytes() {
        assertThat(Tokens.LENGTH).isEqualTo(43);
        for (int i = 0; i < 200; i++) {
            String token = Tokens.newToken();
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]{43}").doesNotContain("=", "+", "/");
            assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
            assertThat(Tokens.isWellFormed(token)).isTrue();
        }
    }

    @Test
    void tokensAreUniqueAndUseTheWholeAlphabet() {
        Set<String> tokens = new HashSet<>();
        Set<Character> chars = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.newToken();
            tokens.add(token);
            token.chars().forEach(c -> chars.add((char) c));
        }
        assertThat(tokens).hasSize(1000);
        // 43,000 random characters cover all 64 symbols, including the two url-safe ones
        assertThat(chars).hasSize(64).contains('-', '_');
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abc",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u00e9",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
            })
    void malformedTokens(String token) {
        assertThat(Tokens.isWellFormed(token)).isFalse();
    }

    @Test
    void wellFormedTokens() {
        assertThat(Tokens.isWellFormed("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .isTrue();
        assertThat(Tokens.isWellFormed("abcdefghijklmnopqrstuvwxyz-_ABCDEFGHIJ01234"))
                .isTrue();
        assertThat(Tokens.isWellFormed(null)).isFalse();
    }

    @Test
    void maskNeverRevealsTheToken() {
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.newToken();
            String mask = Tokens.mask(token);
            assertThat(mask).doesNotContain(token).doesNotContain(token.substring(4, 12));
            assertThat(mask).isEqualTo(token.substring(0, 4) + "\u2026");
            assertThat(token).doesNotContain(mask);
        }
    }

    @Test
    void maskOfShortOrMissingTokens() {
        assertThat(Tokens.mask(null)).isEqualTo("****");
        assertThat(Tokens.mask("")).isEqualTo("****");
        assertThat(Tokens.mask("secret7")).isEqualTo("****").doesNotContain("secret7");
        assertThat(Tokens.mask("secret78")).isEqualTo("secr\u2026");
    }
}
