package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node process with connected clients is killed (SIGKILL). With the default lease (15 s) and refresh interval
 * (5 s), within 20 s its online hash and {@code nodes} entry are gone and exactly one {@code offline} event
 * (reason {@code node-dead}) per client was published by the surviving node; when the killed node restarts
 * afterwards it adds no event. {@link NodeRestartIntegrationTest} covers the other order.
 */
class NodeCrashIntegrationTest {
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Duration REFRESH = Duration.ofSeconds(5);
    static final Map<String, String> DEFAULT_LEASE =
            Map.of("cluster.lease", LEASE.toSeconds() + "s", "cluster.refreshInterval", REFRESH.toSeconds() + "s");

    /** Node 0 runs as a process of its own, node 1 (the survivor) in this JVM. */
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2)
            .running(1)
            .override("cluster.lease", "15s")
            .override("cluster.refreshInterval", "5s")
            .withEvents();

    private static NodeProcess startCrashingNode() {
        return CLUSTER.startProcess(0, DEFAULT_LEASE);
    }

    /** Connects two clients of node 0 (the first twice, in a channel) and waits for their online events. */
    private static List<String> connectClientsOfNode0() {
        String first = CLUSTER.clientIdOn(0, UniqueIds.of("crash"));
        String second = CLUSTER.clientIdOn(0, UniqueIds.of("crash"));
        CLUSTER.connect(first, "m1");
        CLUSTER.connect(first, "m2");
        CLUSTER.connect(second, "m3");
        CLUSTER.client().joinChan(first, "crash-room");
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, first);
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, second);
        return List.of(first, second);
    }

    private static void assertNodeKeysGone(String entry) {
        assertThat(CLUSTER.redis().exists("im:node:" + entry + ":online")).isFalse();
        assertThat(CLUSTER.redis().hexists("im:nodes", entry)).isFalse();
    }

    private static void assertExactlyOneNodeDeadOfflineEach(List<String> clientIds, String entry) {
        for (String clientId : clientIds) {
            assertThat(CLUSTER.events().of(clientId))
                    .as("events of %s", clientId)
                    .extracting(PresenceEvent::type)
                    .containsExactly(PresenceEvent.ONLINE, PresenceEvent.OFFLINE);
            PresenceEvent offline =
                    CLUSTER.events().of(PresenceEvent.OFFLINE, clientId).get(0);
            assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_NODE_DEAD);
            assertThat(offline.node()).isEqualTo(entry);
            assertThat(offline.metadata()).isEmpty();
        }
    }

    @Test
    void theSurvivorSweepsAKilledNodeWithinLeasePlusRefreshAndItsRestartAddsNothing() throws Exception {
        String dead = CLUSTER.entry(0);
        List<String> clientIds;
        try (NodeProcess node = startCrashingNode()) {
            clientIds = connectClientsOfNode0();
            assertThat(CLUSTER.redis().sismember("im:client:" + clientIds.get(0) + ":chans", "crash-room"))
                    .isTrue();

            long killedAt = System.nanoTime();
            node.kill();

            await("the survivor's sweep")
                    .atMost(LEASE.plus(REFRESH).plusSeconds(2))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        assertNodeKeysGone(dead);
                        for (String clientId : clientIds) {
                            assertThat(CLUSTER.events().of(PresenceEvent.OFFLINE, clientId))
                                    .isNotEmpty();
                        }
                    });
            System.out.printf("swept %d ms after SIGKILL%n", (System.nanoTime() - killedAt) / 1_000_000);
        }
        assertThat(CLUSTER.redis().exists("im:client:" + clientIds.get(0) + ":chans"))
                .isFalse();
        assertThat(CLUSTER.redis().hexists("im:chan:crash-room", clientIds.get(0)))
                .isFalse();

        try (NodeProcess restarted = startCrashingNode()) {
            // the restarted node found nothing of its earlier run; it serves its partition again
            String newcomer = CLUSTER.clientIdOn(0, UniqueIds.of("crash"));
            TestTerminal terminal = CLUSTER.connect(newcomer, "");
            CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, newcomer);
            terminal.close();
            CLUSTER.events().awaitFirst(PresenceEvent.OFFLINE, newcomer);
            assertExactlyOneNodeDeadOfflineEach(clientIds, dead);

            restarted.terminate();
            assertThat(restarted.awaitExit(Duration.ofSeconds(20))).isZero();
        }
    }
}
