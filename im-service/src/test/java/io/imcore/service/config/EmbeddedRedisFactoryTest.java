package io.imcore.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imcore.redis.RedisAddress;
import org.junit.jupiter.api.Test;

/** redis.embedded is explicit: redis.uri must name the embedded server, or the node does not start. */
class EmbeddedRedisFactoryTest {

    @Test
    void defaultsToLoopbackOnPort6380() {
        EmbeddedRedisFactory factory = new EmbeddedRedisFactory();
        assertThat(factory.getPort()).isEqualTo(6380);
        assertThat(factory.getBind()).isEqualTo("127.0.0.1");
        assertThat(factory.build(RedisAddress.parse("redis.uri", "redis://127.0.0.1:6380"))
                        .port())
                .isEqualTo(6380);
        assertThat(factory.build(RedisAddress.parse("redis.uri", "redis://localhost:6380"))
                        .port())
                .isEqualTo(6380);
    }

    @Test
    void aUriNamingAnotherRedisIsRefused() {
        EmbeddedRedisFactory factory = new EmbeddedRedisFactory();
        assertThatThrownBy(() -> factory.build(RedisAddress.parse("redis.uri", "redis://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis.uri 'redis://127.0.0.1:6379' must point at the embedded Redis")
                .hasMessageContaining("redis://127.0.0.1:6380");
        assertThatThrownBy(() -> factory.build(RedisAddress.parse("redis.uri", "redis://10.1.2.3:6380")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> factory.build(RedisAddress.parse("redis.uri", "redis://127.0.0.1")))
                .hasMessageContaining("127.0.0.1:6379");
    }

    @Test
    void tlsIsRefused() {
        EmbeddedRedisFactory factory = new EmbeddedRedisFactory();
        assertThatThrownBy(() -> factory.build(RedisAddress.parse("redis.uri", "rediss://127.0.0.1:6380")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS");
    }
}
