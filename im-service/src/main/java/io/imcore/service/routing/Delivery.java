package io.imcore.service.routing;

import io.imcore.protocol.AllEnvelope;
import io.imcore.protocol.ChanEnvelope;
import io.imcore.protocol.ChanFrame;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.Codec;
import io.imcore.protocol.DeliveryEnvelope;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.Keys;
import io.imcore.protocol.KickEnvelope;
import io.imcore.protocol.MembershipEnvelope;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.MsgFrame;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.ReceiptEnvelope;
import io.imcore.protocol.ReceiptFrame;
import io.imcore.protocol.ReceiptStatus;
import io.imcore.service.broker.Broker;
import io.imcore.service.broker.EnvelopeHandler;
import io.imcore.service.config.Cluster;
import io.imcore.service.hub.ClientSessions;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.Session;
import io.imcore.service.hub.TextFrame;
import io.imcore.service.hub.WriteCallback;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the envelopes read from this node's inbox and from {@code broadcast}: each frame is encoded
 * once and written to every local connection it is for. Invalid envelopes are counted and ignored. A receipt for a
 * message and receiver it delivered among its last {@link #RECENT_RECEIPTS} receipts is dropped and counted
 * ({@code im.receipts.duplicate}): publishers retry receipts, and a retry may follow a write that went through.
 * An inbox envelope for a client that is not connected here goes to the {@link Forwarder} (connected on another
 * node: sent there once), and only then is it answered as offline.
 */
public final class Delivery implements EnvelopeHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How many receipts a node remembers to drop a second copy of one: far more than arrive in a retry's 10 s. */
    static final int RECENT_RECEIPTS = 100_000;

    private final Node node;
    private final Hub hub;
    private final ClientSessions clientSessions;
    private final Broker broker;
    private final Keys keys;
    private final Cluster cluster;
    private final NodeMetrics metrics;
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final AtomicLong unwarned = new AtomicLong();
    private final FanOut fanOut = FanOut.fromSystemProperty();
    private final Forwarder forwarder;
    /** The receipts seen last (message id, receiver), read and written by the reader thread only. */
    private final Map<String, Boolean> recentReceipts = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_RECEIPTS;
        }
    };

    public Delivery(Node node, Broker broker, Keys keys, NodeMetrics metrics) {
        this(node, broker, keys, metrics, Forwarder.NONE);
    }

    public Delivery(Node node, Broker broker, Keys keys, NodeMetrics metrics, Forwarder forwarder) {
        this.forwarder = forwarder;
        this.node = node;
        this.hub = node.hub();
        this.clientSessions = node.sessions();
        this.cluster = node.cluster();
        this.broker = broker;
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public void handle(String channel, String payload) {
        if (payload == null) {
            ignoreInvalid(channel, "an entry without the field e");
            return;
        }
        if (deliverFast(payload)) {
            return;
        }
        Envelope envelope;
        try {
            envelope = Codec.decodeEnvelope(payload);
        } catch (ProtocolException e) {
            ignoreInvalid(channel, e.getMessage());
            return;
        }
        metrics.envelope(envelope.type());
        if (envelope instanceof MsgEnvelope msg) {
            TextFrame frame = TextFrame.of(Codec.encode(new MsgFrame(msg.id(), msg.from(), msg.data(), msg.ts())));
            deliverMsg(msg.id(), msg.from(), msg.to(), msg.receipt(), msg.ts(), frame, payload);
        } else if (envelope instanceof ChanEnvelope chan) {
            TextFrame frame = TextFrame.of(
                    Codec.encode(new ChanFrame(chan.id(), chan.chan(), chan.from(), chan.data(), chan.ts())));
            deliverChan(chan.chan(), chan.ts(), frame);
        } else if (envelope instanceof AllEnvelope all) {
            deliverAll(all.ts(), TextFrame.of(Codec.encode(new MsgFrame(all.id(), all.from(), all.data(), all.ts()))));
        } else if (envelope instanceof ReceiptEnvelope receipt) {
            deliver(receipt, payload);
        } else if (envelope instanceof KickEnvelope kick) {
            boolean connectedHere = !hub.sessions(kick.clientId()).isEmpty();
            node.closeClient(kick.clientId(), CloseCodes.POLICY, "kicked", PresenceEvent.REASON_KICK);
            if (!connectedHere) {
                forwarder.forward(payload, List.of(kick.clientId()));
            }
        } else if (envelope instanceof MembershipEnvelope membership) {
            boolean connectedHere = !hub.sessions(membership.clientId()).isEmpty();
            apply(membership);
            if (!connectedHere) {
                forwarder.forward(payload, List.of(membership.clientId()));
            }
        } else {
            ignoreInvalid(channel, "a " + envelope.type() + " envelope belongs on " + keys.events());
        }
    }

    /**
     * The per-delivery envelopes ({@code msg}, {@code chan}, {@code all}) as {@link DeliveryEnvelope} recognises
     * them: one streaming pass, the frame written from the publisher's {@code data} text. False when it does not
     * recognise the payload exactly; the general path then decides, with the same result for what both accept.
     */
    private boolean deliverFast(String payload) {
        DeliveryEnvelope envelope = DeliveryEnvelope.parse(payload);
        byte[] utf8 = envelope == null ? null : envelope.frame();
        if (utf8 == null) {
            return false;
        }
        metrics.envelope(envelope.type());
        TextFrame frame = TextFrame.ofUtf8(utf8);
        switch (envelope.type()) {
            case MsgEnvelope.TYPE ->
                deliverMsg(
                        envelope.id(),
                        envelope.from(),
                        envelope.to(),
                        envelope.receipt(),
                        envelope.ts(),
                        frame,
                        payload);
            case ChanEnvelope.TYPE -> deliverChan(envelope.chan(), envelope.ts(), frame);
            default -> deliverAll(envelope.ts(), frame);
        }
        return true;
    }

    /**
     * Counts an invalid envelope and logs it, at WARN at most once per {@link #WARN_EVERY_NANOS} (with the
     * number left unlogged since), so a flood of junk on a channel cannot flood the log.
     */
    private void ignoreInvalid(String channel, String problem) {
        metrics.invalidEnvelope();
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarnNanos.compareAndSet(last, now)) {
            LOG.warn(
                    "ignored an invalid envelope on {}: {} ({} more since the last warning; count in {})",
                    channel,
                    problem,
                    unwarned.getAndSet(0),
                    "im.envelopes.invalid");
        } else {
            unwarned.incrementAndGet();
            LOG.debug("ignored an invalid envelope on {}: {}", channel, problem);
        }
    }

    private void deliverMsg(
            String id, String from, List<String> to, boolean wantsReceipts, long ts, TextFrame frame, String payload) {
        boolean receipts = wantsReceipts && !from.isEmpty();
        List<String> elsewhere = new ArrayList<>();
        for (String receiver : to) {
            Consumer<ReceiptStatus> receipt = receipts ? status -> sendReceipt(id, from, receiver, status) : null;
            ClientSessions.Outgoing out = clientSessions.sequence(receiver, frame, receipt);
            if (out == null) {
                elsewhere.add(receiver);
                continue;
            }
            // in acks mode the receipt waits for the receiver's ack (ClientSessions), else it is decided on write
            WriteCallback callback =
                    receipts && !out.receiptOnAck() && !out.connections().isEmpty()
                            ? new ReceiptOnWrite(out.connections().size(), receipt)
                            : WriteCallback.NONE;
            send(out, counted(ts, callback));
        }
        for (String receiver : forwarder.forward(payload, elsewhere)) {
            metrics.dropped();
            if (receipts) {
                sendReceipt(id, from, receiver, ReceiptStatus.OFFLINE);
            }
        }
    }

    private static void send(ClientSessions.Outgoing out, WriteCallback callback) {
        for (Session session : out.connections()) {
            session.send(out.frame(), callback);
        }
    }

    /** Numbers {@code frame} for each client and writes it to its connections, clients spread over threads. */
    private void deliverToClients(List<String> clientIds, TextFrame frame, WriteCallback callback) {
        fanOut.forEach(clientIds, clientId -> {
            ClientSessions.Outgoing out = clientSessions.sequence(clientId, frame, null);
            if (out != null) {
                send(out, callback);
            }
        });
    }

    private void deliverChan(String chan, long ts, TextFrame frame) {
        // the members are read here, on the reader thread, so a join or leave after this envelope cannot change
        // who gets it; one callback serves every connection (it keeps no per-connection state)
        deliverToClients(new ArrayList<>(hub.members(chan)), frame, counted(ts, WriteCallback.NONE));
    }

    private void deliverAll(long ts, TextFrame frame) {
        // every session, also those waiting in their window for a resume
        deliverToClients(clientSessions.clientIds(), frame, counted(ts, WriteCallback.NONE));
    }

    private void deliver(ReceiptEnvelope receipt, String payload) {
        // a publisher that retried after losing the answer of an XADD that went through wrote it twice
        if (recentReceipts.put(receipt.id() + '\u0000' + receipt.from(), Boolean.TRUE) != null) {
            metrics.duplicateReceipt();
            return;
        }
        TextFrame frame = TextFrame.of(
                Codec.encode(new ReceiptFrame(receipt.id(), receipt.from(), receipt.status(), receipt.ts())));
        ClientSessions.Outgoing out = clientSessions.sequence(receipt.to(), frame, null);
        boolean dropped = out == null
                ? !forwarder.forward(payload, List.of(receipt.to())).isEmpty()
                : out.connections().isEmpty();
        if (dropped) {
            metrics.dropped();
        }
        if (out != null) {
            send(out, counted(0, WriteCallback.NONE));
        }
    }

    private void apply(MembershipEnvelope membership) {
        hub.withClient(membership.clientId(), client -> {
            if (client.isEmpty()) {
                // a client waiting for a resume keeps its memberships here: they follow the business side's changes
                hub.changeLingering(membership.clientId(), membership.chans(), membership.isJoin());
            } else if (membership.isJoin()) {
                hub.join(client, membership.chans());
            } else {
                hub.leave(client, membership.chans());
            }
            return null;
        });
    }

    private void sendReceipt(String id, String from, String receiver, ReceiptStatus status) {
        metrics.receipt(status);
        ReceiptEnvelope receipt = new ReceiptEnvelope(id, receiver, from, status, System.currentTimeMillis());
        broker.publishAsync(keys.inbox(cluster.home(from)), Codec.encode(receipt));
    }

    private WriteCallback counted(long publishedAt, WriteCallback next) {
        return new WriteCallback() {
            @Override
            public void written() {
                if (publishedAt > 0) {
                    metrics.delivered(publishedAt);
                }
                next.written();
            }

            @Override
            public void failed(Throwable cause) {
                next.failed(cause);
            }
        };
    }
}
