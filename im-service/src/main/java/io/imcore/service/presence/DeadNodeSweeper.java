package io.imcore.service.presence;

import com.codahale.metrics.Counter;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.ReceiptEnvelope;
import io.imcore.protocol.ReceiptStatus;
import io.imcore.redis.MembersFeed;
import io.imcore.service.config.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-node sweep of PROTOCOL.md section 4: one live node claims a dead node ({@code SET sweep:<entry> NX
 * EX 60}), removes its online hash, {@code nodes} entry and its clients' memberships, and publishes one
 * {@code offline} event (reason {@code node-dead}) per client. It then answers what the dead node left unread in
 * its inbox: one {@code offline} receipt per receiver of every {@code msg} that asked for receipts, sent to the
 * sender's node, and trims what it answered (other envelopes are dropped: their writes are done or their
 * connections gone). The inbox holds only what its node had not handled (the node trims after each batch), so
 * no receiver gets both {@code delivered} and {@code offline}, except for the one batch a node may have handled
 * but not yet trimmed when it died.
 *
 * <p>For as long as it holds the claim (60 s), and while the dead node has not come back, the claimer answers the
 * dead node's inbox again at each refresh: a publisher whose view of the members is a little behind (its clock, a
 * publish in flight) may still append to it after the sweep, and that must not go unanswered.
 *
 * <p>No client gets two events, whichever node sweeps first: the claimer reads the lease again after
 * claiming and gives up (releasing the claim) if another node swept it meanwhile or it came back; a node that
 * restarts while another one sweeps its earlier run waits for that sweep to end before it takes connections.
 * A claim stays for its 60 s, except that a node deletes the claim on its own entry once its start found no
 * state of an earlier run left, so that it can be swept again should it crash again within those 60 s.
 */
final class DeadNodeSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(DeadNodeSweeper.class);
    private static final long POLL_MILLIS = 100;
    private static final int INBOX_CHUNK = 1000;
    /** How long a sweep claim lasts ({@code SET sweep:<entry> … EX 60}). */
    private static final long CLAIM_MILLIS = 60_000;

    private final Presence presence;
    private final Cluster cluster;
    private final Counter sweeps;
    private final boolean keepOnDisconnect;
    /** Entries this node swept, with when: their inboxes are answered again while the claim lasts. */
    private final Map<String, Long> sweptAt = new java.util.HashMap<>();

    DeadNodeSweeper(Presence presence, Cluster cluster, boolean keepOnDisconnect) {
        this(presence, cluster, keepOnDisconnect, new Counter());
    }

    /** @param sweeps counts the other nodes swept here */
    DeadNodeSweeper(Presence presence, Cluster cluster, boolean keepOnDisconnect, Counter sweeps) {
        this.presence = presence;
        this.cluster = cluster;
        this.keepOnDisconnect = keepOnDisconnect;
        this.sweeps = sweeps;
    }

    /**
     * Sweeps state an earlier run of this node left behind, waiting for another node already sweeping it, then
     * deletes any claim on this node's entry: it is about the earlier run.
     */
    void sweepOwnLeftovers() throws InterruptedException {
        sweepLeftoversOfEarlierRun();
        presence.deleteSweepClaim(cluster.self());
    }

    private void sweepLeftoversOfEarlierRun() throws InterruptedException {
        String self = cluster.self();
        if (!presence.hasLeftovers()) {
            return;
        }
        if (!presence.claimSweep(self)) {
            String holder = presence.sweepClaimOf(self);
            if (holder != null && !holder.equals(self)) {
                LOG.info("node={} found its earlier run being swept by node={}; waiting for it", self, holder);
                if (awaitNoLeftovers(cluster.lease())) {
                    return;
                }
            }
            presence.forceClaimSweep(self);
        }
        LOG.info("node={} found state of an earlier run; sweeping it", self);
        sweepClaimed(self);
    }

    private boolean awaitNoLeftovers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!presence.hasLeftovers()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return !presence.hasLeftovers();
    }

    /** Sweeps every other node whose lease in {@code leases} (just read) expired. */
    void sweepDeadNodes(Map<String, NodeLease> leases) {
        leases.forEach((entry, lease) -> {
            if (!entry.equals(cluster.self()) && isDead(lease)) {
                sweep(entry);
            }
        });
        answerLateArrivals();
    }

    /** Answers the inboxes of the nodes swept here, while the claim lasts and the node has not come back. */
    private void answerLateArrivals() {
        long now = System.currentTimeMillis();
        sweptAt.entrySet()
                .removeIf(swept -> now - swept.getValue() > CLAIM_MILLIS
                        || presence.leaseOf(swept.getKey()) != null
                        || !cluster.self().equals(presence.sweepClaimOf(swept.getKey())));
        for (String entry : sweptAt.keySet()) {
            int late = answerUnreadInbox(entry);
            if (late > 0) {
                LOG.info(
                        "answered {} offline receipts for envelopes sent to swept node={} after its sweep",
                        late,
                        entry);
            }
        }
    }

    private boolean isDead(NodeLease lease) {
        return lease != null
                && !lease.isAlive(System.currentTimeMillis(), cluster.lease().toMillis());
    }

    private void sweep(String entry) {
        if (!presence.claimSweep(entry)) {
            return;
        }
        // The lease list may be stale: another node may have swept this one and released its claim, or the
        // node restarted. Only a lease that is still there and still dead is swept.
        if (!isDead(presence.leases().get(entry))) {
            presence.releaseSweep(entry);
            return;
        }
        sweepClaimed(entry);
    }

    private void sweepClaimed(String entry) {
        int swept = 0;
        for (String clientId : presence.onlineClientsOf(entry)) {
            if (!keepOnDisconnect) {
                presence.leaveAllChannels(clientId);
            }
            try {
                presence.publish(new PresenceEvent(
                        PresenceEvent.OFFLINE,
                        clientId,
                        "",
                        entry,
                        PresenceEvent.REASON_NODE_DEAD,
                        System.currentTimeMillis()));
            } catch (IllegalArgumentException invalidId) {
                LOG.warn("skipped an invalid client id in the online hash of node={}", entry);
            }
            swept++;
        }
        int receipts = answerUnreadInbox(entry);
        presence.removeNode(entry);
        if (!entry.equals(cluster.self())) {
            sweptAt.put(entry, System.currentTimeMillis());
            sweeps.inc();
            presence.memberChange(MembersFeed.LEAVE, entry, "swept as dead by " + cluster.self());
        }
        LOG.info(
                "swept dead node={}: {} clients offline, {} offline receipts for its unread inbox",
                entry,
                swept,
                receipts);
    }

    /** Answers {@code offline} for every receipt the unread inbox of {@code entry} asks, trimming as it goes. */
    private int answerUnreadInbox(String entry) {
        int answered = 0;
        String after = "";
        while (true) {
            List<InboxEntry> chunk = presence.readInbox(entry, after, INBOX_CHUNK);
            if (chunk.isEmpty()) {
                return answered;
            }
            List<Map.Entry<String, String>> receipts = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (InboxEntry unread : chunk) {
                if (unread.envelope() != null
                        && decode(unread.envelope()) instanceof MsgEnvelope msg
                        && msg.receipt()
                        && !msg.from().isEmpty()) {
                    String senderNode = cluster.home(msg.from());
                    for (String receiver : msg.to()) {
                        receipts.add(Map.entry(
                                senderNode,
                                Codec.encode(new ReceiptEnvelope(
                                        msg.id(), receiver, msg.from(), ReceiptStatus.OFFLINE, now))));
                    }
                }
            }
            presence.sendToInboxes(receipts);
            after = chunk.get(chunk.size() - 1).id();
            presence.trimInbox(entry, after);
            answered += receipts.size();
        }
    }

    private static Envelope decode(String json) {
        try {
            return Codec.decodeEnvelope(json);
        } catch (ProtocolException e) {
            return null;
        }
    }
}
