package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imcore.redis.RedisAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ImClientOptionsTest {

    private static ImClientOptions.Builder valid() {
        return ImClientOptions.builder().servers(List.of("127.0.0.1:6001"));
    }

    private static void assertInvalid(UnaryOperator<ImClientOptions.Builder> change, String messagePart) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        ImClientOptions options = valid().build();

        assertThat(options.redisUri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(options.servers().entries()).containsExactly("127.0.0.1:6001");
        assertThat(options.keyPrefix()).isEqualTo("im:");
        assertThat(options.tokenTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.nodeLease()).isEqualTo(Duration.ofSeconds(6));
        assertThat(options.membershipRefresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.socketTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.maxConnections()).isEqualTo(8);
        assertThat(options.resubscribeMaxDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.streamMaxLen()).isEqualTo(1_500_000);
        assertThat(options.redisAddress()).isEqualTo(new RedisAddress("127.0.0.1", 6379, null, null, 0, false));
    }

    @Test
    void everySetterIsKeptAndToBuilderCopies() {
        ImClientOptions options = ImClientOptions.builder()
                .redisUri("rediss://app:p%40ss@redis.example.com:6380/3")
                .servers(List.of("10.0.0.1:6001", "wss://im2.example.com"))
                .keyPrefix("")
                .tokenTtl(Duration.ofSeconds(60))
                .nodeLease(Duration.ofSeconds(20))
                .connectTimeout(Duration.ofMillis(300))
                .socketTimeout(Duration.ofMillis(400))
                .maxConnections(3)
                .resubscribeMaxDelay(Duration.ofSeconds(1))
                .build();

        assertThat(options.redisAddress())
                .isEqualTo(new RedisAddress("redis.example.com", 6380, "app", "p@ss", 3, true));
        assertThat(options.keyPrefix()).isEmpty();
        assertThat(options.toBuilder().build().toString()).isEqualTo(options.toString());
        assertThat(options.toBuilder().build().redisUri()).isEqualTo(options.redisUri());
    }

    @Test
    void sentinelAndClusterAreKeptWithoutShowingPasswordsAndToBuilderCopies() {
        ImClientOptions sentinel = valid().redisSentinel("imcore", List.of("10.0.0.1:26379", "10.0.0.2:26379"))
                .sentinelCredentials("watcher", "w4tch")
                .redisCredentials("app", "s3cret")
                .redisDatabase(2)
                .waitReplicas(1, Duration.ofMillis(50))
                .build();
        ImClientOptions cluster = valid().redisCluster(List.of("10.0.0.1:7000"))
                .redisCredentials(null, "s3cret")
                .redisSsl(true)
                .build();

        assertThat(sentinel.toString())
                .contains("imcore", "10.0.0.1:26379", "WAIT 1 50 ms")
                .doesNotContain("s3cret", "w4tch");
        assertThat(cluster.toString()).contains("10.0.0.1:7000", "tls").doesNotContain("s3cret");
        assertThat(sentinel.redisConnections().toString()).contains("imcore");
        assertThat(cluster.redisConnections().isCluster()).isTrue();
        assertThat(sentinel.toBuilder().build().toString()).isEqualTo(sentinel.toString());
        assertThat(cluster.toBuilder().build().toString()).isEqualTo(cluster.toString());
    }

    @Test
    void badTopologyCombinationsAreRefusedInOneLine() {
        assertThatThrownBy(() -> valid().redisUri("redis://h:1")
                        .redisSentinel("m", List.of("h:26379"))
                        .build())
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessage("give one of redisUri, redisSentinel and redisCluster, not redisUri and redisSentinel");
        assertThatThrownBy(() -> valid().redisSentinel("m", List.of("h:1"))
                        .redisCluster(List.of("h:2"))
                        .build())
                .hasMessage("give one of redisUri, redisSentinel and redisCluster, not redisSentinel and redisCluster");
        assertThatThrownBy(() -> valid().redisSsl(true).build())
                .hasMessage("redisCredentials, redisDatabase and redisSsl go with redisSentinel or redisCluster;"
                        + " with redisUri, write them in the URI");
        assertThatThrownBy(() -> valid().redisSentinel(null, List.of("h:1")).build())
                .hasMessage("redisSentinel.masterName must not be empty");
        assertThatThrownBy(() -> valid().redisCluster(List.of("h")).build())
                .hasMessage("redisCluster.nodes entry 'h' must be host:port");
        assertThatThrownBy(() -> valid().waitReplicas(1, Duration.ofMillis(10)).build())
                .hasMessage("waitReplicas needs replicas: use it with redisSentinel or redisCluster");
    }

    @Test
    void passwordWithoutUserIsAccepted() {
        RedisAddress address =
                valid().redisUri("redis://:secret@localhost").build().redisAddress();

        assertThat(address).isEqualTo(new RedisAddress("localhost", 6379, null, "secret", 0, false));
    }

    @Test
    void toStringMasksThePassword() {
        ImClientOptions withUser =
                valid().redisUri("redis://app:s3cret@redis.example.com:6379/2").build();
        ImClientOptions withoutUser =
                valid().redisUri("rediss://:s3cret@redis.example.com").build();

        assertThat(withUser.toString()).doesNotContain("s3cret").contains("redis://app:****@redis.example.com:6379/2");
        assertThat(withoutUser.toString()).doesNotContain("s3cret").contains("rediss://:****@redis.example.com");
        assertThat(valid().build().toString()).contains("redis://127.0.0.1:6379");
    }

    @Test
    void rejectsBadServers() {
        assertThat(ImClientOptions.builder().servers(null).build().servers()).isNull();
        assertThat(ImClientOptions.builder().servers(List.of()).build().servers())
                .isNull();
        assertInvalid(b -> b.servers(List.of("127.0.0.1:6001", "127.0.0.1:6001")), "twice");
        assertInvalid(b -> b.servers(List.of("http://x:1")), "servers entry");
        assertInvalid(b -> b.servers(List.of("host-without-port")), "servers entry");
    }

    @Test
    void rejectsBadRedisUris() {
        assertInvalid(b -> b.redisUri(null), "redisUri");
        assertInvalid(b -> b.redisUri("http://127.0.0.1:6379"), "redis://");
        assertInvalid(b -> b.redisUri("redis://"), "redisUri");
        assertInvalid(b -> b.redisUri("redis:///0"), "host");
        assertInvalid(b -> b.redisUri("redis://secret@127.0.0.1:6379"), "user:password");
        assertInvalid(b -> b.redisUri("redis://127.0.0.1:6379/db"), "database");
        assertInvalid(b -> b.redisUri("redis://127.0.0.1:6379/0?protocol=2"), "query");
    }

    @Test
    void aStreamRetentionUnder1000EntriesIsRefused() {
        assertThatThrownBy(() -> valid().streamMaxLen(999).build())
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessage("streamMaxLen must be at least 1000, was 999");
        assertThat(valid().streamMaxLen(1000).build().toBuilder().build().streamMaxLen())
                .isEqualTo(1000);
    }

    @Test
    void errorMessagesNeverShowThePassword() {
        assertThatThrownBy(() ->
                        valid().redisUri("redis://u:s3cret@host:6379/nodb").build())
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void rejectsBadDurationsAndSizes() {
        assertInvalid(b -> b.tokenTtl(Duration.ZERO), "tokenTtl must be positive");
        assertInvalid(b -> b.tokenTtl(Duration.ofSeconds(-1)), "tokenTtl must be positive");
        assertInvalid(b -> b.tokenTtl(Duration.ofMillis(1500)), "whole number of seconds");
        assertInvalid(b -> b.tokenTtl(null), "tokenTtl must not be null");
        assertInvalid(b -> b.nodeLease(Duration.ZERO), "nodeLease must be positive");
        assertInvalid(b -> b.connectTimeout(Duration.ZERO), "connectTimeout");
        assertInvalid(b -> b.connectTimeout(Duration.ofNanos(10)), "connectTimeout must be between");
        assertInvalid(b -> b.socketTimeout(Duration.ofDays(30)), "socketTimeout must be between");
        assertInvalid(b -> b.maxConnections(0), "maxConnections");
        assertInvalid(b -> b.resubscribeMaxDelay(Duration.ofMillis(10)), "resubscribeMaxDelay");
        assertInvalid(b -> b.keyPrefix(null), "keyPrefix");
    }
}
