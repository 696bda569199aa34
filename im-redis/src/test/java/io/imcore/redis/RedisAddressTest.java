package io.imcore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Redis URI as both the client ({@code redisUri}) and the node ({@code redis.uri}) read it. */
class RedisAddressTest {

    private static RedisAddress parse(String uri) {
        return RedisAddress.parse("redis.uri", uri);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "redis://app:s3cret@127.0.0.1:6379/0 | redis://app:****@127.0.0.1:6379/0",
                "rediss://:s3cret@redis.example.com:6380 | rediss://:****@redis.example.com:6380",
                "redis://app:p@ss@host:1 | redis://app:****@host:1",
                "redis://s3cret@host:1 | redis://****@host:1",
                "redis://127.0.0.1:6379 | redis://127.0.0.1:6379",
                "redis://host:1/0?x=a@b | redis://host:1/0?x=a@b",
                "redis://a:b@host:1/x@y | redis://a:****@host:1/x@y",
                "redis://onlysecret@host | redis://****@host",
                "app:s3cret@host:1 | ****@host:1"
            })
    void maskHidesThePassword(String uri, String masked) {
        assertThat(RedisAddress.mask(uri)).isEqualTo(masked);
    }

    @Test
    void maskLeavesNullAlone() {
        assertThat(RedisAddress.mask(null)).isNull();
    }

    @Test
    void anInvalidUriIsReportedWithoutItsPassword() {
        assertThatThrownBy(() -> parse("redis://app:s3 cret@host:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redis.uri 'redis://app:****@host:1' is not a valid URI")
                .hasNoCause();
        assertThatThrownBy(() -> parse("http://app:s3cret@host:1"))
                .hasMessageContaining("redis://")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("redis://u:s3cret@host:6379/nodb"))
                .hasMessage("redis.uri 'redis://u:****@host:6379/nodb' path must be a database number, as in /0");
    }

    @Test
    void everyMistakeIsNamed() {
        assertThatThrownBy(() -> RedisAddress.parse("redisUri", null)).hasMessage("redisUri must not be empty");
        assertThatThrownBy(() -> parse("")).hasMessage("redis.uri '' must not be empty");
        assertThatThrownBy(() -> parse("redis:///0"))
                .hasMessage("redis.uri 'redis:///0' must look like redis://host:port or rediss://host:port");
        assertThatThrownBy(() -> parse("redis://secret@127.0.0.1:6379")).hasMessageContaining("user:password");
        assertThatThrownBy(() -> parse("redis://127.0.0.1:6379/-1")).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> parse("redis://127.0.0.1:6379/0?protocol=2")).hasMessageContaining("query");
    }

    @Test
    void aUserAndPasswordAndTlsAreAccepted() {
        assertThat(parse("rediss://app:p%40ss@redis.example.com:6380/2"))
                .isEqualTo(new RedisAddress("redis.example.com", 6380, "app", "p@ss", 2, true));
        assertThat(parse("redis://:a+b@localhost"))
                .isEqualTo(new RedisAddress("localhost", 6379, null, "a+b", 0, false));
    }

    @Test
    void theDefaultsAreThePort6379AndTheDatabase0AndAnIpv6AddressLosesItsBrackets() {
        assertThat(parse("redis://[::1]")).isEqualTo(new RedisAddress("::1", 6379, null, null, 0, false));
        assertThat(parse("redis://127.0.0.1:6379/"))
                .isEqualTo(new RedisAddress("127.0.0.1", 6379, null, null, 0, false));
    }

    @Test
    void toStringNeverShowsThePassword() {
        assertThat(parse("rediss://app:s3cret@redis.example.com:6380/2"))
                .hasToString("rediss://app@redis.example.com:6380/2");
    }
}
