package io.imcore.service.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.fakes.MemoryNode;
import io.imcore.service.fakes.MemoryNode.Connection;
import io.imcore.service.node.ConnectRefusedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A drain: clients closed one after another, each written offline after its close, the cluster left last. */
class DrainerTest {
    private final MemoryNode core = new MemoryNode();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Drainer drainer = new Drainer(core.node, () -> log.add("left cluster"));

    @AfterEach
    void stop() throws InterruptedException {
        drainer.stop();
    }

    private Map<String, Connection> connectAll(String... clients) {
        Map<String, Connection> connections = new ConcurrentHashMap<>();
        for (String client : clients) {
            connections.put(client, core.connect(client));
        }
        core.presence.onPublish(event -> {
            if (event.type().equals(PresenceEvent.OFFLINE)) {
                int code = connections.get(event.clientId()).sink().closeCode();
                log.add("offline " + event.clientId() + " " + event.reason() + " after close " + code);
            }
        });
        return connections;
    }

    @Test
    void eachClientIsClosedWith1001AndWrittenOfflineBeforeTheNodeLeavesTheCluster() {
        connectAll("alice", "bob", "carol");

        DrainStatus status = drainer.start(Duration.ZERO);
        await().atMost(Duration.ofSeconds(5)).until(status::isFinished);

        assertThat(log)
                .containsExactlyInAnyOrder(
                        "offline alice shutdown after close 1001",
                        "offline bob shutdown after close 1001",
                        "offline carol shutdown after close 1001",
                        "left cluster");
        assertThat(log).last().isEqualTo("left cluster");
        assertThat(status.clients()).isEqualTo(3);
        assertThat(status.closed()).isEqualTo(3);
        assertThat(core.presence.online()).isEmpty();
    }

    @Test
    void theClosesAreSpreadOverThePeriod() {
        connectAll("alice", "bob", "carol");
        long start = System.nanoTime();

        DrainStatus status = drainer.start(Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(status::isFinished);

        // the third of three clients is due at 2/3 of the period
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aDrainRefusesNewConnectionsFromItsStartAndASecondStartChangesNothing() {
        connectAll("alice");

        DrainStatus first = drainer.start(Duration.ofSeconds(1));

        assertThatThrownBy(() -> core.connect("bob"))
                .isInstanceOfSatisfying(
                        ConnectRefusedException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.GOING_AWAY));
        assertThat(drainer.start(Duration.ZERO)).isSameAs(first);
        assertThat(core.node.isShuttingDown()).isTrue();
    }

    @Test
    void aClientThatLeftBeforeItsTurnIsNotCountedAsClosedByTheDrain() {
        Map<String, Connection> connections = connectAll("alice", "bob");
        String second = core.hub.clientIds().get(1); // the drain takes the clients in this order
        DrainStatus status = drainer.start(Duration.ofSeconds(2)); // the second one's turn comes after 1 s
        core.closed(connections.get(second));

        await().atMost(Duration.ofSeconds(5)).until(status::isFinished);

        assertThat(status.closed()).isEqualTo(1);
        assertThat(core.presence.eventLog())
                .containsOnlyOnce("offline:" + second + ":disconnect")
                .doesNotContain("offline:" + second + ":shutdown");
    }
}
