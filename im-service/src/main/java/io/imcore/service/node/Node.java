package io.imcore.service.node;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.HelloFrame;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.config.Cluster;
import io.imcore.service.hub.ClientConnections;
import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.Session;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.presence.RedisPresence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade of a node: registers and unregisters connections, keeps the node's Redis presence in step
 * with them (online hash, channel memberships, online/offline events) and shuts down cleanly.
 *
 * <p>Every change to one client happens under that client's monitor, so its online count, its events
 * and its memberships follow the order of its connects and closes even when they race.
 */
public final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final Cluster cluster;
    private final Hub hub;
    private final RedisPresence presence;
    private final NodeSettings settings;
    private final NodeMetrics metrics;
    private volatile boolean shuttingDown;

    public Node(Cluster cluster, Hub hub, RedisPresence presence, NodeSettings settings, NodeMetrics metrics) {
        this.cluster = cluster;
        this.hub = hub;
        this.presence = presence;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Registers a new connection of {@code clientId} (online hash, channels, the {@code online} event for a
     * first connection) and then sends it {@code hello}. Returns null when the node is shutting down.
     */
    public Session connect(String clientId, String metadata, FrameSink sink) {
        if (shuttingDown) {
            return null;
        }
        Session session = new Session(clientId, metadata, sink, settings.queueLimits());
        while (true) {
            ClientConnections client = hub.clientOrNew(clientId);
            synchronized (client) {
                if (client.isRemoved()) {
                    continue;
                }
                boolean first = hub.add(client, session);
                try {
                    if (first) {
                        // HSET and SMEMBERS in one round trip; the online event only once the channels are joined
                        hub.join(client, presence.registerFirst(clientId, client.size()));
                        presence.publish(event(PresenceEvent.ONLINE, clientId, metadata, PresenceEvent.REASON_CONNECT));
                    } else {
                        presence.setConnections(clientId, client.size());
                    }
                } catch (RuntimeException e) {
                    metrics.redisFailure();
                    LOG.warn("registering client={} in Redis failed: {}", clientId, e.toString());
                }
                break;
            }
        }
        LOG.debug("connected client={} session={}", clientId, session.id());
        session.open(Codec.encode(new HelloFrame(clientId, cluster.self(), settings.heartbeat().toSeconds())));
        return session;
    }

    /** Unregisters a closed connection; the client's last one ends its presence here. */
    public void disconnected(Session session, int closeCode) {
        metrics.closed(closeCode);
        if (CloseCodes.isSlowConsumer(closeCode)) {
            metrics.slowConsumer();
        }
        ClientConnections client = hub.client(session.clientId());
        if (client == null) {
            return;
        }
        synchronized (client) {
            if (client.isRemoved() || !client.sessions().contains(session)) {
                return;
            }
            try {
                if (client.size() == 1) {
                    // The client stays listed in the hub until its offline state is written, so a connect of the
                    // same client racing with this close waits on this monitor and then starts afresh: it never
                    // writes its online state before this close's HDEL, channel cleanup and offline event.
                    goOffline(session.clientId(), session.metadata(), session.closeReason());
                } else {
                    presence.setConnections(session.clientId(), client.size() - 1);
                }
            } catch (RuntimeException e) {
                metrics.redisFailure();
                LOG.warn("unregistering client={} in Redis failed: {}", session.clientId(), e.toString());
            }
            hub.remove(client, session);
        }
        LOG.debug("disconnected client={} session={} code={}", session.clientId(), session.id(), closeCode);
    }

    private void goOffline(String clientId, String metadata, String reason) {
        // HDEL, channel cleanup and the offline event in one pipelined round trip, in that order
        presence.unregister(clientId, !settings.keepOnDisconnect(),
                event(PresenceEvent.OFFLINE, clientId, metadata, reason));
    }

    /** Closes every connection of {@code clientId} with {@code code}; the offline event names {@code reason}. */
    public void closeClient(String clientId, int code, String message, String reason) {
        for (Session session : hub.sessions(clientId)) {
            session.close(code, message, reason);
        }
    }

    /**
     * Stops accepting connections, closes every connection with {@code code}, publishes one offline event
     * per client and leaves their channels (unless configured to keep them). Idempotent.
     */
    public void shutdown(int code, String message) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        List<ClientConnections> clients = new ArrayList<>(hub.clients());
        for (ClientConnections client : clients) {
            List<Session> sessions;
            synchronized (client) {
                if (client.isRemoved()) {
                    continue;
                }
                sessions = hub.drop(client);
            }
            sessions.forEach(session -> session.close(code, message, PresenceEvent.REASON_SHUTDOWN));
            if (!sessions.isEmpty()) {
                Session last = sessions.get(sessions.size() - 1);
                try {
                    goOffline(client.clientId(), last.metadata(), PresenceEvent.REASON_SHUTDOWN);
                } catch (RuntimeException e) {
                    metrics.redisFailure();
                    LOG.warn("offline of client={} at shutdown failed: {}", client.clientId(), e.toString());
                }
            }
        }
        LOG.info("node={} shut down {} clients", cluster.self(), clients.size());
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Writes this node's clients and memberships to Redis again, after Redis lost them. */
    public void reassert() {
        Map<String, Integer> connections = new HashMap<>();
        Map<String, Set<String>> channels = new HashMap<>();
        for (ClientConnections client : hub.clients()) {
            synchronized (client) {
                if (!client.isRemoved()) {
                    connections.put(client.clientId(), client.size());
                    channels.put(client.clientId(), Set.copyOf(client.channels()));
                }
            }
        }
        presence.reassert(connections, channels);
        LOG.info("re-asserted {} clients in Redis", connections.size());
    }

    /** Pings every connection and closes those silent for more than 3 heartbeats. */
    public void heartbeat() {
        long now = System.nanoTime();
        long limit = settings.heartbeat().multipliedBy(3).toNanos();
        hub.forEachSession(session -> {
            if (session.silentNanos(now) > limit) {
                session.close(CloseCodes.NORMAL, "idle timeout", PresenceEvent.REASON_DISCONNECT);
            } else {
                session.ping();
            }
        });
    }

    private PresenceEvent event(String type, String clientId, String metadata, String reason) {
        return new PresenceEvent(type, clientId, metadata, cluster.self(), reason, System.currentTimeMillis());
    }

    public Hub hub() {
        return hub;
    }

    public Cluster cluster() {
        return cluster;
    }
}
