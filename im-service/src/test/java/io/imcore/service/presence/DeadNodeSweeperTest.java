package io.imcore.service.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.Codec;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.Rendezvous;
import io.imcore.protocol.Servers;
import io.imcore.service.config.Cluster;
import io.imcore.service.fakes.MemoryPresence;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep of a dead node, and the answers for what reaches its inbox after the sweep. */
class DeadNodeSweeperTest {
    static final String SELF = "127.0.0.1:6001";
    static final String DEAD = "127.0.0.1:6002";

    private final MemoryPresence presence = new MemoryPresence(SELF);
    private final Cluster cluster =
            new Cluster(Servers.of(List.of(SELF, DEAD)), SELF, Duration.ofSeconds(6), Duration.ofSeconds(2));
    private final DeadNodeSweeper sweeper = new DeadNodeSweeper(presence, cluster, false);

    /** A sender whose home is this node (the view is empty here: homes among the allow-list). */
    private static final String SENDER = sender();

    private static String sender() {
        for (int i = 0; ; i++) {
            if (Rendezvous.home("sender" + i, List.of(SELF, DEAD)).equals(SELF)) {
                return "sender" + i;
            }
        }
    }

    private static String message(String id, String to) {
        return Codec.encode(new MsgEnvelope(id, SENDER, List.of(to), Codec.toData("hi"), true, 1));
    }

    private List<String> receiptsFor(String id) {
        return presence.inbox(SELF).stream()
                .filter(e -> e.contains("\"type\":\"receipt\"") && e.contains("\"" + id + "\""))
                .toList();
    }

    @Test
    void aDeadNodeIsSweptAndWhatReachesItsInboxAfterTheSweepIsAnsweredToo() {
        long now = System.currentTimeMillis();
        presence.putLease(DEAD, new NodeLease(now - 60_000, now - 10_000, 1));
        presence.setConnectionsOn(DEAD, "bob", 1);
        presence.addToInbox(DEAD, message("before", "bob"));

        sweeper.sweepDeadNodes(presence.leases());

        assertThat(presence.leaseOf(DEAD)).isNull();
        assertThat(presence.events()).extracting(PresenceEvent::reason).containsExactly(PresenceEvent.REASON_NODE_DEAD);
        assertThat(presence.memberChanges()).containsExactly("leave " + DEAD);
        assertThat(receiptsFor("before"))
                .hasSize(1)
                .allSatisfy(r -> assertThat(r).contains("offline"));

        // a publisher whose view was a moment behind appends after the sweep
        presence.addToInbox(DEAD, message("late", "bob"));
        sweeper.sweepDeadNodes(presence.leases());
        assertThat(receiptsFor("late")).hasSize(1);
        assertThat(presence.inbox(DEAD)).isEmpty();
    }

    @Test
    void aNodeThatCameBackIsLeftToItself() {
        long now = System.currentTimeMillis();
        presence.putLease(DEAD, new NodeLease(now - 60_000, now - 10_000, 0));
        sweeper.sweepDeadNodes(presence.leases());

        presence.putLease(DEAD, new NodeLease(now, now, 0)); // restarted: it reads its inbox itself
        presence.addToInbox(DEAD, message("for-the-restarted", "bob"));
        sweeper.sweepDeadNodes(presence.leases());

        assertThat(presence.inbox(DEAD)).hasSize(1);
        assertThat(receiptsFor("for-the-restarted")).isEmpty();
    }
}
