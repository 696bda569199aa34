package io.imcore.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Each way a Redis command of an upgrade fails, as Jedis 8 and commons-pool2 throw it, and the refusal it gets. */
class RedisRefusalTest {
    private final RedisRefusal refusal = new RedisRefusal(Duration.ofSeconds(5));

    @Test
    void aPoolThatHadNoConnectionFreeInTimeIsAnOverloadedNodeNamingTheWait() {
        JedisException exhausted = new JedisException(
                "Could not get a resource from the pool",
                new NoSuchElementException("Timeout waiting for idle object, borrowMaxWaitDuration=PT5S"));

        RedisRefusal.Cause cause = RedisRefusal.causeOf(exhausted);

        assertThat(cause).isEqualTo(RedisRefusal.Cause.POOL_EXHAUSTED);
        assertThat(cause.metric()).isEqualTo("redis-pool-exhausted");
        assertThat(refusal.reason(cause)).isEqualTo("node is overloaded: no Redis connection free within 5 s");
    }

    @Test
    void aRedisThatRefusesOrDoesNotAnswerIsUnreachable() {
        assertUnreachable(new JedisConnectionException("Failed to connect to 127.0.0.1:1", new ConnectException()));
        assertUnreachable(new JedisConnectionException(new SocketTimeoutException("Read timed out")));
        assertUnreachable(new JedisConnectionException("Unexpected end of stream."));
    }

    @Test
    void aConnectionThePoolCouldNotActivateIsUnreachableNotOverload() {
        NoSuchElementException activation = new NoSuchElementException("Unable to activate object");
        activation.initCause(new JedisConnectionException("Failed to connect", new ConnectException()));

        assertUnreachable(new JedisException("Could not get a resource from the pool", activation));
    }

    @Test
    void anyOtherFailureIsUnreachableAsBefore() {
        assertUnreachable(new JedisDataException("LOADING Redis is loading the dataset in memory"));
        assertUnreachable(new IllegalStateException("pool closed"));
    }

    @Test
    void theWaitIsWrittenShortly() {
        assertThat(RedisRefusal.shortly(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(RedisRefusal.shortly(Duration.ofMillis(1500))).isEqualTo("1500 ms");
        assertThat(RedisRefusal.shortly(Duration.ofMillis(200))).isEqualTo("200 ms");
        assertThat(new RedisRefusal(Duration.ofMillis(200)).reason(RedisRefusal.Cause.POOL_EXHAUSTED))
                .isEqualTo("node is overloaded: no Redis connection free within 200 ms");
    }

    private void assertUnreachable(RuntimeException failure) {
        RedisRefusal.Cause cause = RedisRefusal.causeOf(failure);
        assertThat(cause).as("%s", failure).isEqualTo(RedisRefusal.Cause.UNREACHABLE);
        assertThat(cause.metric()).isEqualTo("redis-unreachable");
        assertThat(refusal.reason(cause)).isEqualTo("node cannot reach Redis");
    }
}
