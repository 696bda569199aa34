package io.imcore.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.JettyManaged;
import io.imcore.service.lifecycle.EmbeddedRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.RedisClient;

/**
 * redis.embedded is registered before the client when present and enabled, and not at all otherwise; the
 * Redis URI's password never shows in a message or a masked form.
 */
class RedisFactoryTest {

    @Test
    void anEnabledEmbeddedRedisIsRegisteredBeforeTheClient() {
        Environment environment = new Environment("test");
        int before = managed(environment).size(); // the environment's own executors
        RedisFactory factory = factory("redis://127.0.0.1:6380", new EmbeddedRedisFactory());

        try (RedisClient ignored = factory.build(environment)) {
            List<Object> managed = managed(environment);
            assertThat(managed).hasSize(before + 2);
            assertThat(managed.get(before)).isInstanceOf(EmbeddedRedis.class); // starts first, stops last
        }
    }

    @Test
    void aDisabledOrAbsentEmbeddedRedisIsNotRunAndRedisUriIsFree() {
        EmbeddedRedisFactory disabled = new EmbeddedRedisFactory();
        disabled.setEnabled(false);
        for (EmbeddedRedisFactory embedded : new EmbeddedRedisFactory[] {disabled, null}) {
            Environment environment = new Environment("test");
            try (RedisClient ignored = factory("redis://127.0.0.1:6379", embedded).build(environment)) {
                assertThat(managed(environment)).noneMatch(EmbeddedRedis.class::isInstance);
            }
        }
    }

    @Test
    void anEnabledEmbeddedRedisWithAnotherUriStopsTheStartSayingHowToSwitch() {
        RedisFactory factory = factory("redis://127.0.0.1:6379", new EmbeddedRedisFactory());

        assertThatThrownBy(() -> factory.build(new Environment("test")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("remove redis.embedded or set redis.embedded.enabled to false");
    }

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

    private static RedisFactory factory(String uri, EmbeddedRedisFactory embedded) {
        RedisFactory factory = new RedisFactory();
        factory.setUri(uri);
        factory.setEmbedded(embedded);
        return factory;
    }

    private static List<Object> managed(Environment environment) {
        return environment.lifecycle().getManagedObjects().stream()
                .map(lifeCycle -> lifeCycle instanceof JettyManaged jetty ? jetty.getManaged() : lifeCycle)
                .toList();
    }
}
