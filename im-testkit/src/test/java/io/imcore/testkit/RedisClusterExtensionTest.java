package io.imcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

class RedisClusterExtensionTest {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension(3, 1);

    @Test
    void startsThreeMastersThatShareTheSlotsAndAClientSpreadsKeysOverThem() {
        assertThat(CLUSTER.nodes()).hasSize(6);
        assertThat(CLUSTER.masters()).hasSize(3);
        try (RedisClusterClient redis = CLUSTER.newClient()) {
            IntStream.range(0, 300).forEach(i -> redis.set("testkit:spread:" + i, "v"));
            assertThat(redis.get("testkit:spread:7")).isEqualTo("v");
        }
        assertThat(CLUSTER.keysPerMaster().values()).hasSize(3).allMatch(count -> count > 50);
    }

    @Test
    void killingAMasterPromotesItsReplicaAndTheClientGoesOn() {
        try (RedisClusterClient redis = CLUSTER.newClient()) {
            redis.set("testkit:failover", "before");
            HostAndPort killed = CLUSTER.killMasterOf("testkit:failover");

            assertThat(CLUSTER.masterOf("testkit:failover")).isNotEqualTo(killed);
            assertThat(CLUSTER.masters()).hasSize(3).doesNotContain(killed);
            redis.set("testkit:failover", "after");
            assertThat(redis.get("testkit:failover")).isEqualTo("after");
        }
    }
}
