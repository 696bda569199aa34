package io.imcore.service;

import static io.imcore.service.support.Deliveries.frames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.NodeProcess;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node stopped in its tracks (SIGSTOP) gets messages asking receipts that it never reads, then is killed
 * (SIGKILL): the node that sweeps it answers exactly one {@code offline} receipt per receiver of every message
 * it left unread, and trims its inbox.
 */
class NodeCrashReceiptsIntegrationTest {
    static final Map<String, String> SHORT_LEASE = Map.of("cluster.lease", "4s", "cluster.refreshInterval", "1s");

    /** Node 0 runs as a process of its own (the one that dies), node 1 in this JVM. */
    @RegisterExtension
    static final NodeCluster CLUSTER =
            NodeCluster.ofSize(2).running(1).override("cluster.lease", "4s").override("cluster.refreshInterval", "1s");

    @Test
    void theSweeperAnswersOfflineOnceForEveryReceiverOfWhatTheDeadNodeLeftUnread() throws Exception {
        String dead = CLUSTER.entry(0);
        String sender = CLUSTER.clientIdOn(1, UniqueIds.of("crash-tx"));
        List<String> receivers = List.of(
                CLUSTER.clientIdOn(0, UniqueIds.of("crash-rx")), CLUSTER.clientIdOn(0, UniqueIds.of("crash-rx")));
        try (NodeProcess node = CLUSTER.startProcess(0, SHORT_LEASE);
                TestTerminal tx = CLUSTER.connect(sender, "");
                TestTerminal rx1 = CLUSTER.connect(receivers.get(0), "");
                TestTerminal rx2 = CLUSTER.connect(receivers.get(1), "")) {
            String before = CLUSTER.client().sendMessage(sender, receivers, "read", true);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> frames(tx, "receipt").size() == 2);
            // and trimmed from its inbox (the node trims what it handled within 200 ms): not the sweep's any more
            await().atMost(Duration.ofSeconds(5)).until(() -> CLUSTER.redis().xlen("im:node:" + dead) == 0);

            node.freeze();
            List<String> unread = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                unread.add(CLUSTER.client().sendMessage(sender, receivers, "unread " + i, true));
            }
            assertThat(CLUSTER.redis().xlen("im:node:" + dead))
                    .as("left unread in its inbox")
                    .isEqualTo(25);
            node.kill();

            await("the sweep's receipts")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> frames(tx, "receipt").size() >= 2 + 2 * unread.size());
            // the sweep is over once the dead node's entry is gone; nothing more may come after it
            await().atMost(Duration.ofSeconds(10)).until(() -> !CLUSTER.redis().hexists("im:nodes", dead));
            List<JsonNode> receipts = frames(tx, "receipt");
            assertThat(receipts.subList(0, 2))
                    .extracting(
                            r -> r.path("id").asText(), r -> r.path("status").asText())
                    .containsOnly(tuple(before, "delivered"));
            List<String> offline = receipts.subList(2, receipts.size()).stream()
                    .map(r -> r.path("id").asText() + " " + r.path("to").asText() + " "
                            + r.path("status").asText())
                    .toList();
            List<String> expected = new ArrayList<>();
            for (String id : unread) {
                for (String receiver : receivers) {
                    expected.add(id + " " + receiver + " offline");
                }
            }
            assertThat(offline)
                    .as("one offline receipt per receiver of every unread message")
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(CLUSTER.redis().xlen("im:node:" + dead))
                    .as("the swept inbox is trimmed")
                    .isZero();
        }
    }
}
