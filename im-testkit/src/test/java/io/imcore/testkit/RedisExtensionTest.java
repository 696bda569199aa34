package io.imcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisExtensionTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    @Test
    void startsItsOwnServerThatAnswersPing() {
        assertThat(REDIS.isRunning()).isTrue();
        assertThat(REDIS.port()).isPositive().isNotEqualTo(6379);
        assertThat(REDIS.uri()).isEqualTo("redis://" + REDIS.host() + ":" + REDIS.port());
        try (RedisClient redis = REDIS.newJedis()) {
            assertThat(redis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void setsAndGets() {
        try (RedisClient redis = REDIS.newJedis()) {
            redis.set("testkit:set-get", "value");
            assertThat(redis.get("testkit:set-get")).isEqualTo("value");
        }
    }

    @Test
    void flushAllEmptiesTheServer() {
        try (RedisClient redis = REDIS.newJedis()) {
            redis.set("testkit:flush", "value");
            REDIS.flushAll();
            assertThat(redis.dbSize()).isZero();
        }
    }

    @Test
    void stopMakesCommandsFailAndStartComesBackOnTheSamePortEmpty() {
        int port = REDIS.port();
        try (RedisClient before = REDIS.newJedis()) {
            before.set("testkit:outage", "value");

            REDIS.stop();
            assertThat(REDIS.isRunning()).isFalse();
            assertThatThrownBy(before::ping).isInstanceOf(JedisConnectionException.class);
            try (RedisClient during = REDIS.newJedis()) {
                assertThatThrownBy(during::ping).isInstanceOf(JedisConnectionException.class);
            }
        } finally {
            REDIS.start();
        }
        assertThat(REDIS.isRunning()).isTrue();
        assertThat(REDIS.port()).isEqualTo(port);
        try (RedisClient after = REDIS.newJedis()) {
            assertThat(after.ping()).isEqualTo("PONG");
            assertThat(after.get("testkit:outage")).isNull();
        }
    }

    @Test
    void resolvesItselfAsAParameter(RedisExtension resolved) {
        assertThat(resolved).isSameAs(REDIS);
    }

    @Test
    void failsNamingBothOptionsWithoutBinaryAndDocker() {
        assertThatThrownBy(() -> RedisExtension.chooseBackend(Optional.empty(), () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y redis-server")
                .hasMessageContaining("Docker engine");
    }

    @Test
    void failureToStartReportsTheTailOfTheLog() {
        Optional<Path> binary = RedisBinary.find();
        assumeTrue(binary.isPresent(), "container mode: this test is about the binary's log");
        try (RedisServerProcess taken = new RedisServerProcess(binary.get(), REDIS.port())) {
            assertThatThrownBy(taken::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining("Address already in use");
        }
        assertThat(REDIS.isRunning()).isTrue();
    }

    @Nested
    class WhenNested {

        @Test
        void sharesTheServerOfTheEnclosingClass(RedisExtension resolved) {
            assertThat(resolved).isSameAs(REDIS);
            try (RedisClient redis = REDIS.newJedis()) {
                assertThat(redis.ping()).isEqualTo("PONG");
            }
        }
    }
}
