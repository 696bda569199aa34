package io.imcore.service.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imcore.protocol.Keys;
import io.imcore.testkit.RedisExtension;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

/** The pipelined write and read of a client's first connection, against a real Redis. */
class RedisPresenceIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final Keys KEYS = new Keys("im:");
    static RedisClient redis;
    static RedisPresence presence;

    @BeforeAll
    static void connect() {
        redis = REDIS.newJedis();
        presence = new RedisPresence(redis, KEYS, "127.0.0.1:7001", 10_000);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void aFirstConnectionWritesItsCountAndReadsItsChannelsAsTheTwoCommandsDo() {
        redis.sadd(KEYS.clientChans("ann"), "room", "lobby");

        Set<String> chans = presence.setConnectionsAndReadChannels("ann", 1);

        assertThat(chans).containsExactlyInAnyOrder("room", "lobby");
        assertThat(redis.hget(KEYS.nodeOnline("127.0.0.1:7001"), "ann")).isEqualTo("1");
        assertThat(presence.setConnectionsAndReadChannels("bob", 2)).isEmpty();
        assertThat(redis.hget(KEYS.nodeOnline("127.0.0.1:7001"), "bob")).isEqualTo("2");
    }

    @Test
    void aWriteRedisRefusesThrowsAsTheUnpipelinedWriteDid() {
        redis.set(KEYS.nodeOnline("127.0.0.1:7001"), "not a hash"); // HSET answers WRONGTYPE
        try {
            assertThatThrownBy(() -> presence.setConnectionsAndReadChannels("cid", 1))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("WRONGTYPE");
        } finally {
            redis.del(KEYS.nodeOnline("127.0.0.1:7001"));
        }
    }
}
