package io.imcore.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Redis URI's password never shows in a message or a masked form. */
class RedisFactoryTest {
    private static RedisFactory with(String uri) {
        RedisFactory factory = new RedisFactory();
        factory.setUri(uri);
        return factory;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://app:s3cret@127.0.0.1:6379/0 | redis://app:****@127.0.0.1:6379/0",
        "rediss://:s3cret@redis.example.com:6380 | rediss://:****@redis.example.com:6380",
        "redis://app:p@ss@host:1 | redis://app:****@host:1",
        "redis://s3cret@host:1 | redis://****@host:1",
        "redis://127.0.0.1:6379 | redis://127.0.0.1:6379",
        "redis://host:1/0?x=a@b | redis://host:1/0?x=a@b"})
    void maskedUriHidesThePassword(String uri, String masked) {
        assertThat(with(uri).maskedUri()).isEqualTo(masked);
    }

    @Test
    void anInvalidUriIsReportedWithoutItsPassword() {
        assertThatThrownBy(() -> with("redis://app:s3 cret@host:1").parsedUri())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis.uri")
                .hasMessageNotContaining("s3")
                .hasNoCause();
        assertThatThrownBy(() -> with("http://app:s3cret@host:1").parsedUri())
                .hasMessageContaining("redis://").hasMessageNotContaining("s3cret");
    }

    @Test
    void aUserAndPasswordAndTlsAreAccepted() {
        assertThat(with("rediss://app:s3cret@redis.example.com:6380/2").parsedUri().getHost())
                .isEqualTo("redis.example.com");
    }
}
