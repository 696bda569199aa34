package io.imcore.service.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Counter;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.Rendezvous;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** After a node joins, the clients whose home it became are closed with 1001 and keep their channels. */
class RebalancerTest {
    private final MemoryNode core = new MemoryNode();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Counter movedOut = new Counter();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private void members(String... entries) {
        long now = System.currentTimeMillis();
        Map<String, NodeLease> leases = new java.util.HashMap<>();
        for (String entry : entries) {
            leases.put(
                    entry,
                    new NodeLease(
                            now, now, 0, Rendezvous.NAME, core.cluster.view().allowHash(), false));
        }
        core.cluster.view().update(leases, now);
    }

    @Test
    void aJoinClosesOnlyTheClientsWhoseHomeMovedWith1001() {
        new Rebalancer(core.node, scheduler, movedOut).install();
        members(MemoryNode.SELF);
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            connections.add(core.connect("c" + i));
        }
        List<String> moving = connections.stream()
                .map(c -> c.session().clientId())
                .filter(id -> Rendezvous.home(id, List.of(MemoryNode.SELF, MemoryNode.OTHER))
                        .equals(MemoryNode.OTHER))
                .toList();
        assertThat(moving).isNotEmpty();
        core.presence.restoreMemberships(moving.get(0), java.util.Set.of("room"));

        members(MemoryNode.SELF, MemoryNode.OTHER);

        await().atMost(Duration.ofSeconds(5)).until(() -> movedOut.getCount() == moving.size());
        for (Connection connection : connections) {
            boolean moves = moving.contains(connection.session().clientId());
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> !moves || connection.sink().closeCode() != 0);
            assertThat(connection.sink().closeCode())
                    .as(connection.session().clientId())
                    .isEqualTo(moves ? 1001 : 0);
            if (moves) {
                core.closed(connection);
            }
        }
        assertThat(core.presence.events())
                .filteredOn(e -> e.type().equals(PresenceEvent.OFFLINE))
                .extracting(PresenceEvent::reason)
                .containsOnly(PresenceEvent.REASON_REBALANCE)
                .hasSize(moving.size());
        assertThat(core.presence.channelsOf(moving.get(0)))
                .as("a moved client keeps its channels")
                .contains("room");
    }

    @Test
    void nothingMovesWhileThisNodeIsNoMember() {
        new Rebalancer(core.node, scheduler, movedOut).install();
        Connection connection = core.connect("c1");

        members(MemoryNode.OTHER);

        assertThat(movedOut.getCount()).isZero();
        assertThat(connection.sink().closeCode()).isZero();
    }
}
