package io.imcore.service.node;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.HelloFrame;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.config.Cluster;
import io.imcore.service.hub.ClientSessions;
import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.ResumeRequest;
import io.imcore.service.hub.Session;
import io.imcore.service.hub.Timers;
import io.imcore.service.metrics.CountingFrameSink;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.presence.ClientPresence;
import io.imcore.service.presence.LocalState;
import io.imcore.service.presence.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade of a node: registers and unregisters connections within the connection limits, keeps the node's
 * Redis presence in step with them ({@link ClientPresence}) and shuts down cleanly.
 *
 * <p>Every change to one client happens inside the hub's lock of that client ({@link Hub#withClient}), so its
 * online count, its events and its memberships follow the order of its connects and closes even when they race.
 * A connect holds the read side of an admission lock from its shutdown check until it is registered, so once
 * {@link #stopAccepting()} returns every connection is in the hub and none can be added.
 */
public final class Node implements LocalState {
    /** The refusal's text while the node stops. */
    public static final String SHUTTING_DOWN = "node shutting down";
    /** The refusal's text while the node drains. */
    public static final String DRAINING = "node draining";

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final Cluster cluster;
    private final Hub hub;
    private final NodeSettings settings;
    private final NodeMetrics metrics;
    private final ClientPresence clients;
    private final ClientSessions sessions;
    private final ReadWriteLock admission = new ReentrantReadWriteLock();
    private volatile boolean shuttingDown;
    private volatile String refusal = SHUTTING_DOWN;
    private final AtomicInteger closedBeforeShutdown = new AtomicInteger();
    private volatile boolean stoppedCleanly = true;

    /** A node whose client sessions time their windows with {@code timers}. */
    public Node(
            Cluster cluster, Hub hub, Presence presence, NodeSettings settings, NodeMetrics metrics, Timers timers) {
        this.cluster = cluster;
        this.hub = hub;
        this.settings = settings;
        this.metrics = metrics;
        this.clients = new ClientPresence(
                hub,
                presence,
                cluster,
                settings.keepOnDisconnect(),
                metrics,
                timers,
                settings.sessionLimits().offlineGrace());
        this.sessions = new ClientSessions(hub, settings.sessionLimits(), timers, metrics, clients::windowOver);
        metrics.sessionGauges(sessions);
        metrics.offlineGraceGauge(clients::inGrace);
    }

    /** {@link #connect(String, String, FrameSink, ResumeRequest)} without acks or resume. */
    public Session connect(String clientId, String metadata, FrameSink sink) {
        return connect(clientId, metadata, sink, ResumeRequest.NONE);
    }

    /**
     * Registers a new connection of {@code clientId} (online hash, channels, the {@code online} event for a
     * first connection, its client session, resumed when {@code request} asks and it can be) and then sends it
     * {@code hello} and the frames it missed.
     *
     * @throws ConnectRefusedException when the node is shutting down or a connection limit is reached
     */
    public Session connect(String clientId, String metadata, FrameSink sink, ResumeRequest request) {
        Session session = new Session(
                clientId,
                metadata,
                new CountingFrameSink(sink, metrics),
                settings.queueLimits(),
                metrics::slowConsumer);
        ClientSessions.Attached attached;
        admission.readLock().lock();
        try {
            if (shuttingDown) {
                throw new ConnectRefusedException(CloseCodes.GOING_AWAY, refusal);
            }
            attached = register(clientId, metadata, session, request);
        } finally {
            admission.readLock().unlock();
        }
        LOG.debug("connected client={} session={} resumed={}", clientId, session.id(), attached.resumed());
        session.open(
                Codec.encode(new HelloFrame(
                        clientId,
                        cluster.self(),
                        settings.heartbeat().toSeconds(),
                        attached.session(),
                        attached.seq(),
                        attached.resumed())),
                attached.replay());
        return session;
    }

    private ClientSessions.Attached register(String clientId, String metadata, Session session, ResumeRequest request) {
        ConnectionLimits limits = settings.connectionLimits();
        return hub.withClient(clientId, client -> {
            if (client.size() >= limits.perClient()) {
                throw new ConnectRefusedException(CloseCodes.POLICY, "too many connections of this client");
            }
            ClientSessions.Attached attached =
                    sessions.attach(client, session, request, () -> hub.tryAdd(client, session, limits.perNode()));
            if (attached.added() == Hub.Added.NODE_FULL) {
                throw new ConnectRefusedException(CloseCodes.GOING_AWAY, "node is full");
            }
            clients.connected(client, metadata, attached.added() == Hub.Added.FIRST);
            return attached;
        });
    }

    /** Takes a connection's ack (PROTOCOL.md section 3.1); false when it is beyond the session's last number. */
    public boolean ack(Session session, long seq) {
        return sessions.ack(session, seq);
    }

    /** The last sequence number of the connection's client session. */
    public long lastSeq(Session session) {
        return sessions.lastSeq(session);
    }

    /** The client sessions of this node. */
    public ClientSessions sessions() {
        return sessions;
    }

    /** Unregisters a closed connection; the client's last one ends its presence here. */
    public void disconnected(Session session, int closeCode) {
        metrics.closed(closeCode);
        hub.ifConnected(session.clientId(), client -> {
            if (!client.sessions().contains(session)) {
                return;
            }
            // The client stays listed in the hub until its offline state is written, so a connect of the
            // same client racing with this close waits for the client's lock and then starts afresh: it never
            // writes its online state before this close's HDEL, channel cleanup and offline event.
            boolean waits = false;
            if (client.size() == 1) {
                // a session waiting for a resume keeps its channels (channel frames are numbered into it) and,
                // for the offline grace, its online state
                waits = sessions.detached(client.clientId(), keepsSession(session, closeCode));
                if (waits) {
                    clients.lastClosedInWindow(client, session.metadata(), session.closeReason());
                } else {
                    clients.lastClosed(client, session.metadata(), session.closeReason());
                }
            } else {
                clients.closed(client, client.size() - 1);
            }
            hub.remove(client, session, waits);
            LOG.debug("disconnected client={} session={} code={}", session.clientId(), session.id(), closeCode);
        });
    }

    /** A kick, another 1008 close and a stop end the client's session; any other close starts its window. */
    private static boolean keepsSession(Session session, int closeCode) {
        String reason = session.closeReason();
        return closeCode != CloseCodes.POLICY
                && !PresenceEvent.REASON_KICK.equals(reason)
                && !PresenceEvent.REASON_SHUTDOWN.equals(reason);
    }

    /** Closes every connection of {@code clientId} with {@code code}; the offline event names {@code reason}. */
    public void closeClient(String clientId, int code, String message, String reason) {
        for (Session session : hub.sessions(clientId)) {
            session.close(code, message, reason);
        }
        if (PresenceEvent.REASON_KICK.equals(reason)) {
            // at once, not when the closes complete: a resume racing with the close must not continue it
            hub.withClient(clientId, client -> {
                sessions.end(clientId);
                return null;
            });
        }
    }

    /**
     * Stops accepting connections, closes every connection with {@code code}, then publishes one offline
     * event per client and leaves their channels (unless configured to keep them), for at most the shutdown
     * grace period: clients left then are for another node's dead-node sweep ({@link #stoppedCleanly()} is
     * false). Idempotent; it also finishes what a {@code drain} left.
     */
    public void shutdown(int code, String message) {
        stopAccepting();
        long deadline = System.nanoTime() + settings.shutdownGracePeriod().toNanos();
        List<Hub.Dropped> leaving = new ArrayList<>();
        for (String clientId : hub.clientIds()) {
            Hub.Dropped dropped = hub.drop(clientId);
            if (dropped != null) {
                leaving.add(dropped);
            }
        }
        leaving.forEach(l -> l.sessions().forEach(s -> s.close(code, message, PresenceEvent.REASON_SHUTDOWN)));
        sessions.endAll();
        for (Hub.Dropped l : leaving) {
            clients.shutdownOffline(l.clientId(), l.lastMetadata(), l.announced(), System.nanoTime() - deadline < 0);
        }
        int left = clients.settleOwedBefore(deadline);
        stoppedCleanly = left == 0;
        if (left > 0) {
            LOG.warn(
                    "node={} shut down {} clients; {} not written offline within {}: another node's dead-node "
                            + "sweep will",
                    cluster.self(),
                    leaving.size(),
                    left,
                    settings.shutdownGracePeriod());
        } else if (closedBeforeShutdown.get() > 0) {
            LOG.info(
                    "node={} shut down {} clients ({} closed before it by the drain)",
                    cluster.self(),
                    leaving.size(),
                    closedBeforeShutdown.get());
        } else {
            LOG.info("node={} shut down {} clients", cluster.self(), leaving.size());
        }
    }

    /**
     * Refuses every connection from now on; returns once connects in progress are registered, so
     * {@link Hub#clientIds()} then lists every client this node will have. True for the call that changed it.
     */
    public boolean stopAccepting() {
        return stopAccepting(SHUTTING_DOWN);
    }

    /**
     * {@link #stopAccepting()}, with {@code reason} as the refusal's text ({@link #refusal()}) when this call is
     * the first.
     */
    public boolean stopAccepting(String reason) {
        admission.writeLock().lock();
        try {
            boolean first = !shuttingDown;
            if (first) {
                refusal = reason;
            }
            shuttingDown = true;
            return first;
        } finally {
            admission.writeLock().unlock();
        }
    }

    /**
     * Closes every connection of {@code client} with {@code code} and ends its presence as a clean stop does:
     * one offline event (reason {@code shutdown}) and its channels left; a write that fails is owed and
     * retried. False when it was already gone.
     */
    public boolean closeForShutdown(String clientId, int code, String message) {
        Hub.Dropped dropped = hub.drop(clientId);
        if (dropped == null) {
            return false;
        }
        dropped.sessions().forEach(session -> session.close(code, message, PresenceEvent.REASON_SHUTDOWN));
        sessions.end(clientId);
        clients.shutdownOffline(clientId, dropped.lastMetadata(), dropped.announced(), true);
        closedBeforeShutdown.incrementAndGet();
        return true;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Why connects are refused once {@link #isShuttingDown()}: "node shutting down" or "node draining". */
    public String refusal() {
        return refusal;
    }

    @Override
    public boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    @Override
    public boolean needsReassert() {
        return clients.isDirty();
    }

    @Override
    public void reassert(boolean restoreMemberships, boolean reannounce) {
        clients.reassert(restoreMemberships, reannounce);
    }

    /** True when the node holds as many connections as it may. */
    public boolean isFull() {
        return hub.connectionCount() >= settings.connectionLimits().perNode();
    }

    /** True when {@code clientId} holds as many connections here as it may. */
    public boolean isFull(String clientId) {
        return hub.sessions(clientId).size() >= settings.connectionLimits().perClient();
    }

    public Hub hub() {
        return hub;
    }

    public Cluster cluster() {
        return cluster;
    }
}
