package io.imcore.service.hub;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * This node's registry: client id → its connections, channel → local members. It only changes local
 * state; Redis and events are the {@code Node}'s business.
 *
 * <p>It owns the client lock: {@link #withClient}, {@link #ifConnected}, {@link #forEachClient} and
 * {@link #drop(String)} run their work holding the lock of the client's live entry, and the methods that change
 * one client ({@link #tryAdd}, {@link #remove}, {@link #join}, {@link #leave}) are called from inside that work
 * only. The package documentation lists the threads and what each lock guards.
 */
public final class Hub {
    private final ConcurrentHashMap<String, ClientConnections> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> channelMembers = new ConcurrentHashMap<>();
    /** Channels of clients without a connection whose session waits for a resume; still in the members index. */
    private final ConcurrentHashMap<String, Set<String>> lingering = new ConcurrentHashMap<>();

    private final AtomicInteger connections = new AtomicInteger();

    /**
     * Runs {@code action} holding the lock of {@code clientId}'s live entry, made if absent, and returns its
     * result. An entry that the action leaves without connections is dropped: it only served as the lock.
     */
    public <T> T withClient(String clientId, Function<ClientConnections, T> action) {
        while (true) {
            ClientConnections client = clients.computeIfAbsent(clientId, ClientConnections::new);
            synchronized (client) {
                if (client.isRemoved()) {
                    continue; // its last connection went meanwhile: a new entry takes its place
                }
                try {
                    return action.apply(client);
                } finally {
                    if (client.isEmpty() && !client.isRemoved()) {
                        drop(client);
                    }
                }
            }
        }
    }

    /**
     * Runs {@code action} holding the client's lock when it has connections here; false, and nothing run, when
     * it has none.
     */
    public boolean ifConnected(String clientId, Consumer<ClientConnections> action) {
        ClientConnections client = clients.get(clientId);
        if (client == null) {
            return false;
        }
        synchronized (client) {
            if (client.isRemoved() || client.isEmpty()) {
                return false;
            }
            action.accept(client);
            return true;
        }
    }

    /**
     * Runs {@code action} for every client with connections here, one client at a time, holding its lock; a
     * client that left meanwhile is skipped.
     */
    public void forEachClient(Consumer<ClientConnections> action) {
        for (ClientConnections client : List.copyOf(clients.values())) {
            synchronized (client) {
                if (!client.isRemoved() && !client.isEmpty()) {
                    action.accept(client);
                }
            }
        }
    }

    /** Ids of the clients with connections here now. */
    public List<String> clientIds() {
        return List.copyOf(clients.keySet());
    }

    /** True when {@code clientId} is listed here (read without its lock, so it may change at once). */
    public boolean contains(String clientId) {
        return clients.containsKey(clientId);
    }

    /** The client's live connections here, empty when none; read without its lock. */
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
        assert Thread.holdsLock(client);
        int current;
        do {
            current = connections.get();
            if (current >= maxConnections) {
                return Added.NODE_FULL;
            }
        } while (!connections.compareAndSet(current, current + 1));
        boolean first = client.isEmpty();
        if (first) {
            Set<String> kept = lingering.remove(client.clientId());
            if (kept != null) {
                client.channels().addAll(kept); // still in the members index: nothing to add there
            }
        }
        client.add(session);
        return first ? Added.FIRST : Added.MORE;
    }

    /**
     * Removes a connection; true when it was there. When it was the client's last, the client and its
     * channel memberships are dropped from this node's index and the client is marked removed.
     */
    public boolean remove(ClientConnections client, Session session) {
        return remove(client, session, false);
    }

    /**
     * {@link #remove(ClientConnections, Session)}; when it was the client's last and {@code keepChannels}, its
     * channel memberships stay in this node's index (the client's session waits for a resume, and channel
     * frames are numbered into it) until {@link #endLingering} or its next connection takes them back.
     */
    public boolean remove(ClientConnections client, Session session, boolean keepChannels) {
        assert Thread.holdsLock(client);
        if (!client.remove(session)) {
            return false;
        }
        connections.decrementAndGet();
        if (client.isEmpty()) {
            if (keepChannels) {
                lingering.put(client.clientId(), client.channels());
                client.markRemoved();
                clients.remove(client.clientId(), client);
            } else {
                drop(client);
            }
        }
        return true;
    }

    /**
     * Joins or leaves channels for a client without connections whose memberships linger ({@link #remove(
     * ClientConnections, Session, boolean)}); false, and nothing changed, when they do not. Called inside the
     * client's lock.
     */
    public boolean changeLingering(String clientId, Collection<String> chans, boolean join) {
        Set<String> kept = lingering.get(clientId);
        if (kept == null) {
            return false;
        }
        if (join) {
            join(clientId, kept, chans);
        } else {
            leave(clientId, kept, chans);
        }
        return true;
    }

    /** Leaves the lingering memberships of {@code clientId}; false when it had none. Inside the client's lock. */
    public boolean endLingering(String clientId) {
        Set<String> kept = lingering.remove(clientId);
        if (kept == null) {
            return false;
        }
        leave(clientId, kept, Set.copyOf(kept));
        return true;
    }

    /** Clients without connections whose channel memberships linger here. */
    public int lingeringCount() {
        return lingering.size();
    }

    /**
     * Drops a client with all its connections, as a stop or a drain does, and returns what it dropped; null when
     * the client has no connections here.
     */
    public Dropped drop(String clientId) {
        ClientConnections client = clients.get(clientId);
        if (client == null) {
            return null;
        }
        synchronized (client) {
            if (client.isRemoved() || client.isEmpty()) {
                return null;
            }
            boolean announced = client.isAnnounced();
            return new Dropped(clientId, drop(client), announced);
        }
    }

    private List<Session> drop(ClientConnections client) {
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
        assert Thread.holdsLock(client);
        join(client.clientId(), client.channels(), chans);
    }

    private void join(String clientId, Set<String> memberships, Collection<String> chans) {
        for (String chan : chans) {
            memberships.add(chan);
            channelMembers
                    .computeIfAbsent(chan, c -> ConcurrentHashMap.newKeySet())
                    .add(clientId);
        }
    }

    /** Records that {@code client} left {@code chans}. */
    public void leave(ClientConnections client, Collection<String> chans) {
        assert Thread.holdsLock(client);
        leave(client.clientId(), client.channels(), chans);
    }

    private void leave(String clientId, Set<String> memberships, Collection<String> chans) {
        for (String chan : chans) {
            memberships.remove(chan);
            channelMembers.computeIfPresent(chan, (c, members) -> {
                members.remove(clientId);
                return members.isEmpty() ? null : members;
            });
        }
    }

    /** Local members of {@code chan}, empty when none. */
    public Set<String> members(String chan) {
        Set<String> members = channelMembers.get(chan);
        return members == null ? Set.of() : members;
    }

    /** Calls {@code action} for every live connection on this node, without any client's lock. */
    public void forEachSession(Consumer<Session> action) {
        for (ClientConnections client : clients.values()) {
            client.sessions().forEach(action);
        }
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

    /**
     * A client dropped with all its connections.
     *
     * @param sessions  its connections, oldest first
     * @param announced whether its {@code online} event was published
     */
    public record Dropped(String clientId, List<Session> sessions, boolean announced) {
        /** Metadata of its newest connection. */
        public String lastMetadata() {
            return sessions.get(sessions.size() - 1).metadata();
        }
    }
}
