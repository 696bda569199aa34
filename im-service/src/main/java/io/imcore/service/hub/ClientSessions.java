package io.imcore.service.hub;

import io.imcore.protocol.ReceiptStatus;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client sessions of this node (PROTOCOL.md section 3.1): numbers every data frame per client, keeps the
 * unacked frames of clients in acks mode, takes acks, replays on resume, and ends a session when its window runs
 * out or a kick, drain or stop ends it. Receipts that wait for an ack are answered here: {@code delivered} on the
 * ack, {@code offline} when the frame is pushed out of the kept frames or the session ends first.
 *
 * <p>A session's monitor is taken inside the client's lock ({@link #attach}, {@link #detached}, {@link #end})
 * or alone ({@link #sequence}, {@link #ack}); frames are written and receipts answered outside it. Adding a
 * connection and numbering a frame both happen under it, so a frame is either in a resuming connection's replay
 * or written to it after the replay, never both and never neither.
 */
public final class ClientSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
    /** Makes the session ids of this run differ from any earlier run's, so a restart never resumes a stale one. */
    private final String prefix = Long.toString(RANDOM.nextLong() >>> 1, 36) + "-";

    private final AtomicLong numbers = new AtomicLong();
    private final Hub hub;
    private final SessionLimits limits;
    private final Timers timers;
    private final SessionEvents events;
    private final Consumer<String> windowOver;

    /**
     * Sessions whose windows are timed with {@code timers}; {@code windowOver} is told, inside the client's lock,
     * when a session of a client without connections ends (its window ran out, or a kick, drain or stop).
     */
    public ClientSessions(
            Hub hub, SessionLimits limits, Timers timers, SessionEvents events, Consumer<String> windowOver) {
        this.hub = hub;
        this.limits = limits;
        this.timers = timers;
        this.events = events;
        this.windowOver = windowOver;
    }

    /** What a connection learns when it is added: the fields of its {@code hello} and the frames to replay. */
    public record Attached(Hub.Added added, String session, long seq, boolean resumed, List<TextFrame> replay) {}

    /**
     * Adds {@code connection} to its client's session, resuming the one it asked for when possible, else joining
     * the client's current session (when other connections hold it) or starting a new one. {@code add} adds the
     * connection to the hub, under the session's monitor; when it answers {@code NODE_FULL} nothing changes.
     * Called inside the client's lock.
     */
    public Attached attach(
            ClientConnections client, Session connection, ResumeRequest request, Supplier<Hub.Added> add) {
        String clientId = client.clientId();
        ClientSession current = sessions.get(clientId);
        List<Consumer<ReceiptStatus>> unanswered = List.of();
        List<Consumer<ReceiptStatus>> delivered = List.of();
        Attached attached;
        ClientSession session = current != null ? current : newSession(clientId);
        synchronized (session) {
            Hub.Added added = add.get();
            if (added == Hub.Added.NODE_FULL) {
                return new Attached(added, null, 0, false, List.of());
            }
            String failure = request.resumes() ? resumeFailure(current, request) : null;
            List<TextFrame> replay = List.of();
            if (request.resumes() && failure == null) {
                delivered = ackOnResume(current, request.seq());
                if (request.seq() != current.lastSeq) {
                    // nothing kept (acks off, or another connection acked them): the frames after seq are gone
                    replay = current.kept == null ? null : current.kept.after(request.seq(), current.lastSeq);
                }
                if (replay == null) {
                    failure = "buffer";
                    replay = List.of();
                }
            }
            boolean resumed = request.resumes() && failure == null;
            if (current != null && !resumed && added == Hub.Added.FIRST) {
                // nobody holds the old session and this connection does not continue it: a new one starts
                unanswered = end(current);
                session = newSession(clientId);
            }
            if (session != current) {
                sessions.put(clientId, session);
            }
            if (failure != null) {
                events.resumeFailed(failure);
            } else if (resumed) {
                events.resumed(replay.size());
            }
            attached = bind(session, connection, request, added, resumed, replay);
        }
        answer(delivered, ReceiptStatus.DELIVERED);
        answer(unanswered, ReceiptStatus.OFFLINE);
        return attached;
    }

    /**
     * A resume of {@code session} with {@code seq} says the terminal holds every frame up to {@code seq}: a
     * cumulative ack of the kept frames up to it, whether or not the rest can be replayed. Frames up to
     * {@link ClientSession#sharedUpTo} stay: they may be kept for another connection, which the resuming one may
     * never have been sent.
     */
    private static List<Consumer<ReceiptStatus>> ackOnResume(ClientSession session, long seq) {
        if (session.kept == null || seq <= session.sharedUpTo) {
            return List.of();
        }
        List<Consumer<ReceiptStatus>> delivered = session.kept.ack(session.sharedUpTo, seq);
        if (session.kept.isEmpty()) {
            session.kept = null;
        }
        return delivered;
    }

    private Attached bind(
            ClientSession session,
            Session connection,
            ResumeRequest request,
            Hub.Added added,
            boolean resumed,
            List<TextFrame> replay) {
        synchronized (session) {
            if (session.expiry != null) {
                session.expiry.run();
                session.expiry = null;
            }
            session.acks |= request.acks();
            long helloSeq = resumed ? request.seq() : session.lastSeq;
            if (!resumed && session.kept != null) {
                session.sharedUpTo = Math.max(session.sharedUpTo, helloSeq);
            }
            connection.clientSession = session;
            connection.acked = helloSeq;
            return new Attached(added, idOf(session), helloSeq, resumed, replay);
        }
    }

    private String resumeFailure(ClientSession current, ResumeRequest request) {
        if (current == null || current.ended || !idOf(current).equals(request.session())) {
            return "unknown";
        }
        if (request.seq() > current.lastSeq) {
            return "ahead";
        }
        return null;
    }

    private ClientSession newSession(String clientId) {
        return new ClientSession(clientId, numbers.incrementAndGet());
    }

    private String idOf(ClientSession session) {
        return prefix + Long.toString(session.number, 36);
    }

    /** A numbered frame and the connections to write it to (none while the session is in its window). */
    public record Outgoing(TextFrame frame, List<Session> connections, boolean receiptOnAck) {}

    /**
     * Numbers {@code frame} for {@code clientId} and, in acks mode, keeps it with its {@code receipt} (null when
     * none), which is then answered on the ack. Null when the client has no session here, or has no connection
     * and is not in acks mode: the frame reaches nobody.
     */
    public Outgoing sequence(String clientId, TextFrame frame, Consumer<ReceiptStatus> receipt) {
        ClientSession session = sessions.get(clientId);
        if (session == null) {
            return null;
        }
        Outgoing outgoing;
        List<Consumer<ReceiptStatus>> evicted = List.of();
        synchronized (session) {
            if (session.ended) {
                return null;
            }
            List<Session> connections = hub.sessions(clientId);
            if (connections.isEmpty() && !session.acks) {
                return null;
            }
            TextFrame numbered = frame.withSeq(++session.lastSeq);
            if (session.acks) {
                if (session.kept == null) {
                    session.kept = new KeptFrames();
                }
                evicted = session.kept.keep(session.lastSeq, numbered, receipt, limits);
            }
            outgoing = new Outgoing(numbered, connections, session.acks);
        }
        answer(evicted, ReceiptStatus.OFFLINE);
        return outgoing;
    }

    /**
     * Takes a connection's cumulative ack: the kept frames numbered after its previous ack up to {@code seq} go,
     * their receipts are {@code delivered}. False, and nothing changed, when {@code seq} is beyond the session's
     * last number (or the connection has no session).
     */
    public boolean ack(Session connection, long seq) {
        ClientSession session = connection.clientSession;
        if (session == null) {
            return false;
        }
        List<Consumer<ReceiptStatus>> delivered = List.of();
        synchronized (session) {
            if (seq > session.lastSeq) {
                return false;
            }
            if (seq > connection.acked) {
                if (session.kept != null) {
                    delivered = session.kept.ack(connection.acked, seq);
                    if (session.kept.isEmpty()) {
                        session.kept = null;
                    }
                }
                connection.acked = seq;
            }
        }
        events.acked();
        answer(delivered, ReceiptStatus.DELIVERED);
        return true;
    }

    /** The last sequence number of {@code connection}'s session. */
    public long lastSeq(Session connection) {
        ClientSession session = connection.clientSession;
        if (session == null) {
            return 0;
        }
        synchronized (session) {
            return session.lastSeq;
        }
    }

    /**
     * The client's last connection closed: its session waits for a resume for the window ({@code keep}), or ends
     * now. True when it waits. Called inside the client's lock.
     */
    public boolean detached(String clientId, boolean keep) {
        ClientSession session = sessions.get(clientId);
        if (session == null) {
            return false;
        }
        if (!keep || limits.window().isZero()) {
            end(clientId);
            return false;
        }
        synchronized (session) {
            if (session.ended) {
                return false;
            }
            if (session.expiry == null) {
                session.expiry = timers.after(limits.window(), () -> expire(session));
            }
            return true;
        }
    }

    private void expire(ClientSession session) {
        hub.withClient(session.clientId, client -> {
            List<Consumer<ReceiptStatus>> unanswered = null;
            synchronized (session) {
                if (client.isEmpty() && session.expiry != null) {
                    unanswered = end(session);
                }
            }
            if (unanswered != null) {
                windowOver.accept(session.clientId);
                answer(unanswered, ReceiptStatus.OFFLINE);
            }
            return null;
        });
    }

    /** Ends the client's session now (kick, drain, stop); its unacked receipts are {@code offline}. */
    public void end(String clientId) {
        ClientSession session = sessions.get(clientId);
        if (session == null) {
            return;
        }
        List<Consumer<ReceiptStatus>> unanswered;
        synchronized (session) {
            unanswered = end(session);
        }
        hub.withClient(clientId, client -> {
            if (client.isEmpty()) {
                windowOver.accept(clientId);
            }
            return null;
        });
        answer(unanswered, ReceiptStatus.OFFLINE);
    }

    /** Ends every session (node stop). */
    public void endAll() {
        for (String clientId : List.copyOf(sessions.keySet())) {
            end(clientId);
        }
    }

    private List<Consumer<ReceiptStatus>> end(ClientSession session) {
        assert Thread.holdsLock(session);
        if (session.ended) {
            return List.of();
        }
        session.ended = true;
        if (session.expiry != null) {
            session.expiry.run();
            session.expiry = null;
        }
        sessions.remove(session.clientId, session);
        List<Consumer<ReceiptStatus>> unanswered = session.kept == null ? List.of() : session.kept.clear();
        session.kept = null;
        return unanswered;
    }

    private static void answer(List<Consumer<ReceiptStatus>> receipts, ReceiptStatus status) {
        for (Consumer<ReceiptStatus> receipt : receipts) {
            receipt.accept(status);
        }
    }

    /** Clients with a session here (connected or in their window). */
    public List<String> clientIds() {
        return List.copyOf(sessions.keySet());
    }

    /** Sessions here, with or without connections. */
    public int count() {
        return sessions.size();
    }

    /** Sessions waiting for a resume: no connection here. */
    public int inWindow() {
        int waiting = 0;
        for (ClientSession session : sessions.values()) {
            if (session.expiry != null) {
                waiting++;
            }
        }
        return waiting;
    }

    /** UTF-8 bytes of every kept frame. */
    public long keptBytes() {
        long bytes = 0;
        for (ClientSession session : new ArrayList<>(sessions.values())) {
            bytes += session.keptBytes();
        }
        return bytes;
    }
}
