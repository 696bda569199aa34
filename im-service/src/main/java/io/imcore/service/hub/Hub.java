package io.imcore.service.hub;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * This node's registry: client id → its connections, channel → local members. It only changes local
 * state; Redis and events are the {@code Node}'s business. Callers hold the client's monitor while they
 * call the mutating methods for that client.
 */
public final class Hub {
    private final ConcurrentHashMap<String, ClientConnections> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> channelMembers = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();

    /** The client's entry, made if absent; check {@link ClientConnections#isRemoved()} under its monitor. */
    public ClientConnections clientOrNew(String clientId) {
        return clients.computeIfAbsent(clientId, ClientConnections::new);
    }

    /** The client's entry, or null when it has no connection here. */
    public ClientConnections client(String clientId) {
        return clients.get(clientId);
    }

    /** The client's live connections here, empty when none. */
    public List<Session> sessions(String clientId) {
        ClientConnections client = clients.get(clientId);
        return client == null ? List.of() : client.sessions();
    }

    /** What {@link #tryAdd} did. */
    public enum Added {
        /** Added as the client's first connection. */
        FIRST,
        /** Added next to the client's other connections. */
        MORE,
        /** Not added: the node holds {@code maxConnections} already. */
        NODE_FULL
    }

    /**
     * Adds a connection unless the node already holds {@code maxConnections}; the check and the count are
     * one atomic step, so racing connects never pass the limit together.
     */
    public Added tryAdd(ClientConnections client, Session session, int maxConnections) {
        int current;
        do {
            current = connections.get();
            if (current >= maxConnections) {
                return Added.NODE_FULL;
            }
        } while (!connections.compareAndSet(current, current + 1));
        boolean first = client.isEmpty();
        client.add(session);
        return first ? Added.FIRST : Added.MORE;
    }

    /**
     * Removes a connection; true when it was there. When it was the client's last, the client and its
     * channel memberships are dropped from this node's index and the client is marked removed.
     */
    public boolean remove(ClientConnections client, Session session) {
        if (!client.remove(session)) {
            return false;
        }
        connections.decrementAndGet();
        if (client.isEmpty()) {
            drop(client);
        }
        return true;
    }

    /** Drops a client with all its connections, as on a shutdown; returns its sessions. */
    public List<Session> drop(ClientConnections client) {
        List<Session> sessions = List.copyOf(client.sessions());
        for (Session session : sessions) {
            if (client.remove(session)) {
                connections.decrementAndGet();
            }
        }
        client.markRemoved();
        clients.remove(client.clientId(), client);
        leave(client, Set.copyOf(client.channels()));
        return sessions;
    }

    /** Records that {@code client} is a member of {@code chans}. */
    public void join(ClientConnections client, Collection<String> chans) {
        for (String chan : chans) {
            client.channels().add(chan);
            channelMembers.computeIfAbsent(chan, c -> ConcurrentHashMap.newKeySet()).add(client.clientId());
        }
    }

    /** Records that {@code client} left {@code chans}. */
    public void leave(ClientConnections client, Collection<String> chans) {
        for (String chan : chans) {
            client.channels().remove(chan);
            channelMembers.computeIfPresent(chan, (c, members) -> {
                members.remove(client.clientId());
                return members.isEmpty() ? null : members;
            });
        }
    }

    /** Local members of {@code chan}, empty when none. */
    public Set<String> members(String chan) {
        Set<String> members = channelMembers.get(chan);
        return members == null ? Set.of() : members;
    }

    /** Calls {@code action} for every live connection on this node. */
    public void forEachSession(Consumer<Session> action) {
        for (ClientConnections client : clients.values()) {
            client.sessions().forEach(action);
        }
    }

    /** Every client with a connection here. */
    public Collection<ClientConnections> clients() {
        return clients.values();
    }

    public int connectionCount() {
        return connections.get();
    }

    public int clientCount() {
        return clients.size();
    }

    public int channelCount() {
        return channelMembers.size();
    }
}
