package io.imcore.service.hub;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client's connections on this node and the channels it is a member of.
 *
 * <p>Changes to one client are made inside the {@link Hub}'s client lock ({@link Hub#withClient} and its
 * siblings) so that its Redis state and events follow the order of its connects and closes. Once its last
 * connection is removed the object is {@link #isRemoved() removed} for good; a new connection makes a new one.
 * The connection list and the channel set may be read without the lock; the flags only under it.
 */
public final class ClientConnections {
    private final String clientId;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private boolean removed;
    private boolean announced;

    ClientConnections(String clientId) {
        this.clientId = clientId;
    }

    public String clientId() {
        return clientId;
    }

    /** The live connections, safe to iterate while they change. */
    public List<Session> sessions() {
        return sessions;
    }

    /** Channels this client is a member of, as far as this node knows. */
    public Set<String> channels() {
        return channels;
    }

    void add(Session session) {
        sessions.add(session);
    }

    boolean remove(Session session) {
        return sessions.remove(session);
    }

    public boolean isEmpty() {
        return sessions.isEmpty();
    }

    public int size() {
        return sessions.size();
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    /** True once this client's online state was written to Redis and its {@code online} event published. */
    public boolean isAnnounced() {
        return announced;
    }

    public void setAnnounced(boolean announced) {
        this.announced = announced;
    }
}
