package io.imcore.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.JettyManaged;
import io.imcore.service.lifecycle.EmbeddedRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * redis.embedded is registered before the client when present and enabled, and not at all otherwise (the Redis
 * URI itself is tested in im-redis, {@code RedisAddressTest}).
 */
class RedisFactoryTest {

    @Test
    void anEnabledEmbeddedRedisIsRegisteredBeforeTheClient() {
        Environment environment = new Environment("test");
        int before = managed(environment).size(); // the environment's own executors
        RedisFactory factory = factory("redis://127.0.0.1:6380", new EmbeddedRedisFactory());

        try (UnifiedJedis ignored = factory.build(environment)) {
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
            try (UnifiedJedis ignored =
                    factory("redis://127.0.0.1:6379", embedded).build(environment)) {
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
