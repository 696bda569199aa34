package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.client.ImClient;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * A node process with connected clients is killed (SIGKILL) and restarted before the surviving node's sweep:
 * the restarted node sweeps its earlier run itself (one {@code offline}, reason {@code node-dead}, per client)
 * and the survivor never sweeps it again. The lease is 30 s here so that a slow JVM start on a busy machine
 * still beats the survivor; {@link NodeCrashIntegrationTest} covers the other order with the default lease.
 */
class NodeRestartIntegrationTest {
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration REFRESH = Duration.ofSeconds(5);

    /** Node 0 runs as a process of its own, node 1 (the survivor) in this JVM. */
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2)
            .running(1)
            .override("cluster.lease", LEASE.toSeconds() + "s")
            .override("cluster.refreshInterval", REFRESH.toSeconds() + "s");

    private NodeProcess startNode0() {
        return CLUSTER.startProcess(
                0,
                Map.of("cluster.lease", LEASE.toSeconds() + "s", "cluster.refreshInterval", REFRESH.toSeconds() + "s"));
    }

    @Test
    void aKilledNodeThatRestartsFirstSweepsItselfAndTheSurvivorDoesNotSweepAgain() throws Exception {
        String entry = CLUSTER.entry(0);
        String first = CLUSTER.clientIdOn(0, UniqueIds.of("restart"));
        String second = CLUSTER.clientIdOn(0, UniqueIds.of("restart"));
        ImClient client = CLUSTER.client();
        RedisClient redis = CLUSTER.redis();
        try (PresenceRecorder events = PresenceRecorder.start(client)) {
            long killedAt;
            try (NodeProcess node = startNode0()) {
                TestTerminal.connectReady(client.prevConnectServer(first, "m1"));
                TestTerminal.connectReady(client.prevConnectServer(first, "m2"));
                TestTerminal.connectReady(client.prevConnectServer(second, "m3"));
                client.joinChan(first, "restart-room");
                events.awaitFirst(PresenceEvent.ONLINE, first);
                events.awaitFirst(PresenceEvent.ONLINE, second);
                killedAt = System.nanoTime();
                node.kill();
            }
            try (NodeProcess restarted = startNode0()) {
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
                        .as("the restart must beat the survivor's sweep")
                        .isLessThan(LEASE);
                for (String clientId : List.of(first, second)) {
                    events.awaitFirst(PresenceEvent.OFFLINE, clientId);
                }
                assertThat(restarted.log()).contains("found state of an earlier run");
                assertThat(redis.hexists("im:nodes", entry))
                        .as("the restarted node's fresh lease")
                        .isTrue();
                assertThat(redis.exists("im:node:" + entry + ":online")).isFalse();
                assertThat(redis.exists("im:client:" + first + ":chans")).isFalse();

                // the survivor's next refresh reads the fresh lease; from then on it never sees entry 0 dead
                Thread.sleep(REFRESH.plusSeconds(1).toMillis());
                for (String clientId : List.of(first, second)) {
                    assertThat(events.of(clientId))
                            .as("events of %s", clientId)
                            .extracting(PresenceEvent::type)
                            .containsExactly(PresenceEvent.ONLINE, PresenceEvent.OFFLINE);
                    PresenceEvent offline =
                            events.of(PresenceEvent.OFFLINE, clientId).get(0);
                    assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_NODE_DEAD);
                    assertThat(offline.node()).isEqualTo(entry);
                }
                restarted.terminate();
                assertThat(restarted.awaitExit(Duration.ofSeconds(20))).isZero();
            }
        }
    }
}
