package io.imcore.service.presence;

import io.imcore.protocol.PresenceEvent;
import io.imcore.service.config.Cluster;
import io.imcore.service.hub.ClientConnections;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.Timers;
import io.imcore.service.metrics.NodeMetrics;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis side of this node's clients (PROTOCOL.md section 4): online hash, memberships and online/offline
 * events, written as connections come and go, with the writes that failed remembered and made up for.
 *
 * <p>A client whose {@code online} could not be written stays not {@link ClientConnections#isAnnounced()
 * announced}; a client whose last close could not be written owes a {@link PendingOffline}. {@link #reassert}
 * settles both once Redis answers, so online and offline events still alternate and balance. Callers hold the
 * client's lock ({@link Hub#withClient}) for every method that names a client.
 *
 * <p>A client whose last connection closed while its session waits for a resume ({@link #lastClosedInWindow})
 * keeps its online state for the offline grace: a connection within it continues the client's presence without
 * an event; at its end {@code offline} is published and the online field removed. Its channel memberships stay
 * (here and in Redis) until its window is over ({@link #windowOver}).
 */
public final class ClientPresence {
    private static final Logger LOG = LoggerFactory.getLogger(ClientPresence.class);

    private final Hub hub;
    private final Presence presence;
    private final Cluster cluster;
    private final boolean keepOnDisconnect;
    private final NodeMetrics metrics;
    private final Map<String, PendingOffline> pendingOffline = new ConcurrentHashMap<>();
    private final Map<String, Grace> graces = new ConcurrentHashMap<>();
    private final Timers timers;
    private final Duration offlineGrace;
    private final Object reassertLock = new Object();
    private volatile boolean dirty;

    public ClientPresence(
            Hub hub,
            Presence presence,
            Cluster cluster,
            boolean keepOnDisconnect,
            NodeMetrics metrics,
            Timers timers,
            Duration offlineGrace) {
        this.hub = hub;
        this.presence = presence;
        this.cluster = cluster;
        this.keepOnDisconnect = keepOnDisconnect;
        this.metrics = metrics;
        this.timers = timers;
        this.offlineGrace = offlineGrace;
    }

    /** The offline owed to a client in its grace, and the timer that publishes it. */
    private static final class Grace {
        final PendingOffline offline;
        Runnable cancel = () -> {};

        Grace(PendingOffline offline) {
            this.offline = offline;
        }
    }

    /** True when a write failed and {@link #reassert} has not made up for it yet. */
    public boolean isDirty() {
        return dirty;
    }

    /** Writes a new connection; a client's first also settles an offline it still owes, then goes online. */
    public void connected(ClientConnections client, String metadata, boolean first) {
        String clientId = client.clientId();
        try {
            if (!first) {
                presence.setConnections(clientId, client.size());
                return;
            }
            Grace grace = graces.remove(clientId);
            if (grace != null) {
                // back within the grace: still online for everybody, no event
                grace.cancel.run();
                client.setAnnounced(grace.offline.publish());
            }
            settlePendingOffline(clientId);
            hub.join(client, presence.setConnectionsAndReadChannels(clientId, client.size()));
            if (!client.isAnnounced()) {
                presence.publish(event(PresenceEvent.ONLINE, clientId, metadata, PresenceEvent.REASON_CONNECT));
                client.setAnnounced(true);
            }
        } catch (RuntimeException e) {
            failed("registering", clientId, e);
        }
    }

    /** Writes a close that leaves the client {@code remaining} connections (at least one). */
    public void closed(ClientConnections client, int remaining) {
        try {
            presence.setConnections(client.clientId(), remaining);
        } catch (RuntimeException e) {
            failed("unregistering", client.clientId(), e);
        }
    }

    /** Writes the client offline after its last close; owes it when Redis fails. */
    public void lastClosed(ClientConnections client, String metadata, String reason) {
        String clientId = client.clientId();
        PendingOffline owed = pendingOffline.remove(clientId);
        PendingOffline offline =
                new PendingOffline(metadata, reason, client.isAnnounced() || (owed != null && owed.publish()));
        try {
            goOffline(clientId, offline);
        } catch (RuntimeException e) {
            pendingOffline.put(clientId, offline);
            failed("unregistering", clientId, e);
        }
    }

    /**
     * Writes nothing yet after the last close of a client whose session waits for a resume: its {@code offline}
     * comes after the offline grace unless it connects again first; its channels stay until {@link #windowOver}.
     */
    public void lastClosedInWindow(ClientConnections client, String metadata, String reason) {
        String clientId = client.clientId();
        PendingOffline owed = pendingOffline.remove(clientId);
        Grace grace = new Grace(
                new PendingOffline(metadata, reason, client.isAnnounced() || (owed != null && owed.publish())));
        Grace earlier = graces.put(clientId, grace);
        if (earlier != null) {
            earlier.cancel.run();
        }
        if (offlineGrace.isZero()) {
            graceOver(clientId, grace);
        } else {
            grace.cancel = timers.after(
                    offlineGrace,
                    () -> hub.withClient(clientId, c -> {
                        if (c.isEmpty()) {
                            graceOver(clientId, grace);
                        }
                        return null;
                    }));
        }
    }

    private void graceOver(String clientId, Grace grace) {
        if (!graces.remove(clientId, grace)) {
            return;
        }
        try {
            goOffline(clientId, grace.offline, false);
        } catch (RuntimeException e) {
            pendingOffline.put(clientId, grace.offline);
            failed("unregistering", clientId, e);
        }
    }

    /**
     * The session of a client without connections ended: the offline it still owes is written now, and its
     * channels are left (unless configured to keep them).
     */
    public void windowOver(String clientId) {
        Grace grace = graces.remove(clientId);
        if (grace != null) {
            grace.cancel.run();
        }
        boolean lingered = hub.endLingering(clientId);
        if (grace == null && !lingered) {
            return;
        }
        PendingOffline offline =
                grace != null ? grace.offline : new PendingOffline("", PresenceEvent.REASON_DISCONNECT, false);
        try {
            goOffline(clientId, offline);
        } catch (RuntimeException e) {
            PendingOffline owed = pendingOffline.get(clientId);
            pendingOffline.put(clientId, owed != null && owed.publish() ? owed : offline);
            failed("unregistering", clientId, e);
        }
    }

    /** Clients whose last connection closed within the offline grace: still online, no event yet. */
    public int inGrace() {
        return graces.size();
    }

    /**
     * Owes the offline state (reason {@code shutdown}) of a client whose connections a stop or a drain closed,
     * and writes it at once when {@code writeNow}; a failed write stays owed for {@link #settleOwedBefore} or
     * {@link #reassert}.
     */
    public void shutdownOffline(String clientId, String metadata, boolean announced, boolean writeNow) {
        PendingOffline owed = pendingOffline.remove(clientId);
        PendingOffline offline = new PendingOffline(
                metadata, PresenceEvent.REASON_SHUTDOWN, announced || (owed != null && owed.publish()));
        pendingOffline.put(clientId, offline);
        if (writeNow) {
            writeOwed(clientId, offline);
        }
    }

    /** Writes every owed offline state while {@code deadline} (nanoTime) is ahead; returns how many are left. */
    public int settleOwedBefore(long deadline) {
        for (Map.Entry<String, PendingOffline> owed : Map.copyOf(pendingOffline).entrySet()) {
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            writeOwed(owed.getKey(), owed.getValue());
        }
        return pendingOffline.size();
    }

    private void writeOwed(String clientId, PendingOffline offline) {
        try {
            goOffline(clientId, offline);
            pendingOffline.remove(clientId, offline);
        } catch (RuntimeException e) {
            failed("writing offline", clientId, e);
        }
    }

    /** See {@link LocalState#reassert}. */
    public void reassert(boolean restoreMemberships, boolean reannounce) {
        synchronized (reassertLock) {
            dirty = false;
            try {
                AtomicInteger clients = new AtomicInteger();
                hub.forEachClient(client -> {
                    reassert(client, restoreMemberships, reannounce);
                    clients.incrementAndGet();
                });
                int settled = settleAbsentClients();
                LOG.info(
                        "re-asserted {} clients in Redis (memberships {}{}); settled {} offline states",
                        clients.get(),
                        restoreMemberships ? "restored from memory" : "reloaded from Redis",
                        reannounce ? ", online announced again" : "",
                        settled);
            } catch (RuntimeException e) {
                dirty = true;
                throw e;
            }
        }
    }

    private void reassert(ClientConnections client, boolean restoreMemberships, boolean reannounce) {
        String clientId = client.clientId();
        settlePendingOffline(clientId);
        if (reannounce) {
            client.setAnnounced(false);
        }
        Set<String> stored = presence.channelsOf(clientId);
        Set<String> local = Set.copyOf(client.channels());
        if (restoreMemberships) {
            presence.restoreMemberships(clientId, minus(local, stored));
            hub.join(client, stored);
        } else {
            hub.leave(client, minus(local, stored));
            hub.join(client, minus(stored, local));
        }
        presence.setConnections(clientId, client.size());
        if (!client.isAnnounced()) {
            String metadata = client.sessions().get(0).metadata();
            presence.publish(event(PresenceEvent.ONLINE, clientId, metadata, PresenceEvent.REASON_CONNECT));
            client.setAnnounced(true);
        }
    }

    /**
     * Writes the offline state of clients that have no connection here but owe one, or are still listed in
     * this node's online hash (a field whose HDEL was lost).
     */
    private int settleAbsentClients() {
        Set<String> absent = new HashSet<>(pendingOffline.keySet());
        for (String listed : presence.onlineClientsOf(cluster.self())) {
            if (!hub.contains(listed) && !graces.containsKey(listed)) {
                absent.add(listed);
            }
        }
        int settled = 0;
        for (String clientId : absent) {
            // an entry made for this only serves as the client's lock; the hub drops it again
            settled += hub.withClient(
                    clientId, client -> client.isEmpty() && !graces.containsKey(clientId) ? settleAbsent(clientId) : 0);
        }
        return settled;
    }

    private int settleAbsent(String clientId) {
        PendingOffline owed =
                pendingOffline.getOrDefault(clientId, new PendingOffline("", PresenceEvent.REASON_DISCONNECT, true));
        try {
            goOffline(clientId, owed);
        } catch (IllegalArgumentException invalidId) {
            LOG.warn("removed an invalid client id from the online hash of node={}", cluster.self());
            presence.removeClient(clientId);
        }
        pendingOffline.remove(clientId, owed);
        return 1;
    }

    private void settlePendingOffline(String clientId) {
        PendingOffline owed = pendingOffline.get(clientId);
        if (owed != null) {
            goOffline(clientId, owed);
            pendingOffline.remove(clientId, owed);
        }
    }

    private void goOffline(String clientId, PendingOffline offline) {
        goOffline(clientId, offline, true);
    }

    private void goOffline(String clientId, PendingOffline offline, boolean leaveChannels) {
        presence.removeClient(clientId);
        // a client moved to its new home (rebalance) reconnects at once: its channels stay for that node to load
        if (leaveChannels && !keepOnDisconnect && !PresenceEvent.REASON_REBALANCE.equals(offline.reason())) {
            presence.leaveAllChannels(clientId);
        }
        if (offline.publish()) {
            presence.publish(event(PresenceEvent.OFFLINE, clientId, offline.metadata(), offline.reason()));
        }
    }

    private void failed(String what, String clientId, RuntimeException e) {
        dirty = true;
        metrics.redisFailure();
        LOG.warn("{} client={} in Redis failed, to be repaired when Redis answers: {}", what, clientId, e.toString());
    }

    private PresenceEvent event(String type, String clientId, String metadata, String reason) {
        return new PresenceEvent(type, clientId, metadata, cluster.self(), reason, System.currentTimeMillis());
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }
}
