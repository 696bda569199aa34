package io.imcore.service.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imcore.service.support.FreePorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The embedded redis-server: a real server that starts, answers, stops, and refuses a taken port. */
class EmbeddedRedisTest {

    @Test
    void startsARealServerAndStopsIt() throws Exception {
        int port = FreePorts.next();
        EmbeddedRedis redis = new EmbeddedRedis("127.0.0.1", port);
        redis.start();
        try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
            assertThat(client.ping()).isEqualTo("PONG");
            client.set("k", "v");
            assertThat(client.getDel("k")).isEqualTo("v"); // GETDEL: Redis >= 6.2, as the node's tokens need
            redis.stop();
            assertThatThrownBy(client::ping).isInstanceOf(JedisConnectionException.class);
        } finally {
            redis.stop();
        }
    }

    @Test
    void aTakenPortFailsWithAMessageNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            EmbeddedRedis redis = new EmbeddedRedis("127.0.0.1", port);

            assertThatThrownBy(redis::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("redis.embedded: port " + port + " on 127.0.0.1 is already in use")
                    .hasMessageContaining("redis.embedded.port");
            assertThatCode(redis::stop).as("nothing was started").doesNotThrowAnyException();
        }
    }
}
