package io.imcore.service.fakes;

import com.codahale.metrics.MetricRegistry;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.Keys;
import io.imcore.protocol.Servers;
import io.imcore.service.config.Cluster;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.QueueLimits;
import io.imcore.service.hub.ResumeRequest;
import io.imcore.service.hub.Session;
import io.imcore.service.hub.SessionLimits;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.ConnectionLimits;
import io.imcore.service.node.Node;
import io.imcore.service.node.NodeSettings;
import io.imcore.service.routing.Delivery;
import io.imcore.service.routing.Forwarder;
import java.time.Duration;
import java.util.List;

/**
 * The core of a node (hub, node, delivery) on {@link MemoryPresence} and {@link MemoryBroker}, with
 * {@link RecordingSink}s for sockets: no Redis, no Jetty. Connections are made and closed as the transport does.
 */
public final class MemoryNode {
    public static final String SELF = "127.0.0.1:6001";
    public static final String OTHER = "127.0.0.1:6002";
    public static final Keys KEYS = new Keys("im:");

    /** The allow-list holds both nodes; clients move at once after a join (rebalance period 0). */
    public final Cluster cluster = new Cluster(
            Servers.of(List.of(SELF, OTHER)), SELF, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ZERO, null);

    public final Hub hub = new Hub();
    public final MetricRegistry registry = new MetricRegistry();
    public final NodeMetrics metrics = new NodeMetrics(registry, hub);
    public final MemoryPresence presence = new MemoryPresence(SELF);
    public final MemoryBroker broker = new MemoryBroker();
    public final Node node;
    public final Delivery delivery;

    public final ManualTimers timers = new ManualTimers();

    public MemoryNode() {
        this(new QueueLimits(1024, 1 << 20), new ConnectionLimits(100, 16));
    }

    public MemoryNode(QueueLimits queueLimits, ConnectionLimits connectionLimits) {
        this(queueLimits, connectionLimits, new SessionLimits(Duration.ofMinutes(2), 256, 128 * 1024));
    }

    public MemoryNode(SessionLimits sessionLimits) {
        this(new QueueLimits(1024, 1 << 20), new ConnectionLimits(100, 16), sessionLimits);
    }

    public MemoryNode(QueueLimits queueLimits, ConnectionLimits connectionLimits, SessionLimits sessionLimits) {
        node = new Node(
                cluster,
                hub,
                presence,
                new NodeSettings(
                        Duration.ofSeconds(25),
                        false,
                        queueLimits,
                        connectionLimits,
                        Duration.ofSeconds(2),
                        sessionLimits),
                metrics,
                timers);
        delivery = new Delivery(
                node,
                broker,
                KEYS,
                metrics,
                new Forwarder(presence, broker, KEYS, cluster, registry.counter("im.envelopes.forwarded")));
    }

    /** Opens a connection of {@code clientId} whose writes complete at once. */
    public Connection connect(String clientId) {
        return connect(clientId, new RecordingSink());
    }

    /** Opens a connection of {@code clientId} writing to {@code sink}. */
    public Connection connect(String clientId, RecordingSink sink) {
        return new Connection(node.connect(clientId, "meta-" + clientId, sink), sink);
    }

    /** Opens a connection of {@code clientId} that asks for acks or a resume. */
    public Connection connect(String clientId, ResumeRequest request) {
        RecordingSink sink = new RecordingSink();
        return new Connection(node.connect(clientId, "meta-" + clientId, sink, request), sink);
    }

    /** What the transport does once the socket closed: unregisters the connection with its close code. */
    public void closed(Connection connection) {
        int code = connection.sink().closeCode();
        node.disconnected(connection.session(), code == 0 ? 1006 : code);
    }

    /** Hands {@code envelope} to the node as its inbox subscriber does. */
    public void receive(Envelope envelope) {
        delivery.handle(KEYS.inbox(SELF), Codec.encode(envelope));
    }

    /** A connection and the socket it writes to. */
    public record Connection(Session session, RecordingSink sink) {}
}
