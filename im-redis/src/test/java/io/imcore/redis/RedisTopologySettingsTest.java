package io.imcore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisTopologySettingsTest {
    @Test
    void sentinelSettingsParseTheNodesAndNeverShowAPassword() {
        RedisSentinelSettings settings = RedisSentinelSettings.of(
                "redis.sentinel",
                "imcore",
                List.of("10.0.0.1:26379", "[::1]:26380"),
                "app",
                "s3cret",
                2,
                true,
                null,
                null);
        assertThat(settings.nodes()).containsExactly(new HostAndPort("10.0.0.1", 26379), new HostAndPort("::1", 26380));
        assertThat(settings.toString()).contains("imcore", "app").doesNotContain("s3cret");
    }

    @Test
    void badSentinelSettingsAreRefusedInOneLine() {
        assertThatThrownBy(() -> RedisSentinelSettings.of(
                        "redis.sentinel", " ", List.of("h:1"), null, null, 0, false, null, null))
                .hasMessage("redis.sentinel.masterName must not be empty");
        assertThatThrownBy(() ->
                        RedisSentinelSettings.of("redis.sentinel", "m", List.of(), null, null, 0, false, null, null))
                .hasMessage("redis.sentinel.nodes must list at least one host:port");
        assertThatThrownBy(() -> RedisSentinelSettings.of(
                        "redis.sentinel", "m", List.of("redis://h:1"), null, null, 0, false, null, null))
                .hasMessage("redis.sentinel.nodes entry 'redis://h:1' must be host:port");
        assertThatThrownBy(() -> RedisSentinelSettings.of(
                        "redis.sentinel", "m", List.of("h:1"), null, null, 0, false, "watcher", null))
                .hasMessage("redis.sentinel.sentinelUser needs a sentinelPassword");
    }

    @Test
    void badClusterSettingsAreRefusedInOneLine() {
        assertThatThrownBy(() -> RedisClusterSettings.of("redis.cluster", List.of("h:1", "h:1"), null, null, false))
                .hasMessage("redis.cluster.nodes lists 'h:1' twice");
        assertThatThrownBy(() -> RedisClusterSettings.of("redis.cluster", List.of("h:0"), null, null, false))
                .hasMessage("redis.cluster.nodes entry 'h:0' has no valid port (1 to 65535)");
        assertThat(RedisClusterSettings.of("redis.cluster", List.of("h:7000"), "app", "pw", false)
                        .toString())
                .doesNotContain("pw");
    }

    @Test
    void theOwnerOfASlotIsReadFromClusterNodes() {
        String nodes = """
                a 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460
                b 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922 [10923->-c]
                c 127.0.0.1:7003@17003 master,fail - 0 0 3 connected 10923-16383
                d :7004@17004 master - 0 0 4 connected 16000
                """;
        assertThat(MasterLocator.ownerOf(nodes, 0, "seed")).isEqualTo(new HostAndPort("127.0.0.1", 7001));
        assertThat(MasterLocator.ownerOf(nodes, 10922, "seed")).isEqualTo(new HostAndPort("127.0.0.1", 7002));
        assertThat(MasterLocator.ownerOf(nodes, 16000, "seed")).isEqualTo(new HostAndPort("seed", 7004));
        assertThat(MasterLocator.ownerOf(nodes, 12000, "seed")).isNull();
    }

    @Test
    void replicaAckIsOffByDefaultAndRefusesNonsense() {
        assertThat(ReplicaAck.OFF.isOn()).isFalse();
        assertThat(ReplicaAck.OFF.satisfied(null)).isTrue();
        assertThatThrownBy(() -> new ReplicaAck(1, java.time.Duration.ZERO))
                .hasMessageStartingWith("waitTimeout must be at least 1 ms");
    }
}
