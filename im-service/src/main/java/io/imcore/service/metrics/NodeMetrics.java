package io.imcore.service.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.imcore.protocol.AllEnvelope;
import io.imcore.protocol.ChanEnvelope;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.KickEnvelope;
import io.imcore.protocol.MembershipEnvelope;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.ReceiptEnvelope;
import io.imcore.protocol.ReceiptStatus;
import io.imcore.service.hub.ClientSessions;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.SessionEvents;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Every metric the node keeps, under {@code im.}; names are listed in the README. The envelope types a node
 * handles and the close codes it uses (plus 1006, a terminal that vanished) are registered up front, so
 * dashboards see them at 0 before the first one happens.
 */
public final class NodeMetrics implements SessionEvents {
    /** Envelope types that arrive on a node's inbox or on {@code broadcast}. */
    static final List<String> ENVELOPE_TYPES = List.of(
            MsgEnvelope.TYPE,
            ChanEnvelope.TYPE,
            AllEnvelope.TYPE,
            ReceiptEnvelope.TYPE,
            KickEnvelope.TYPE,
            MembershipEnvelope.JOIN,
            MembershipEnvelope.LEAVE);
    /** Close codes counted from the start; others get a counter when they first happen. */
    static final List<Integer> CLOSE_CODES = List.of(
            CloseCodes.NORMAL,
            CloseCodes.GOING_AWAY,
            1006,
            CloseCodes.POLICY,
            CloseCodes.TOO_BIG,
            CloseCodes.INTERNAL_ERROR,
            CloseCodes.SLOW_CONSUMER_FRAMES,
            CloseCodes.SLOW_CONSUMER_BYTES);

    /** Why an upgrade is refused for Redis: the tails of {@code im.upgrades.refused.*}. */
    public static final List<String> UPGRADE_REFUSALS = List.of("redis-unreachable", "redis-pool-exhausted");

    /** Why a resume fails (PROTOCOL.md section 3.1). */
    static final List<String> RESUME_FAILURES = List.of("unknown", "buffer", "ahead");

    private final MetricRegistry registry;
    private final ConcurrentHashMap<String, Meter> envelopesByType = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Counter> closesByCode = new ConcurrentHashMap<>();
    private final Meter framesWritten;
    private final Meter delivered;
    private final Meter receiptsDelivered;
    private final Meter receiptsOffline;
    private final Counter dropped;
    private final Counter duplicateReceipts;
    private final Counter invalidEnvelopes;
    private final Counter errorFrames;
    private final Counter slowConsumers;
    private final Counter redisFailures;
    private final Timer deliveryLatency;
    private final Counter resumed;
    private final Meter replayed;
    private final Meter acks;
    private final Counter invalidAcks;

    public NodeMetrics(MetricRegistry registry, Hub hub) {
        this.registry = registry;
        registry.registerGauge("im.connections", hub::connectionCount);
        registry.registerGauge("im.clients.online", hub::clientCount);
        registry.registerGauge("im.channels.local", hub::channelCount);
        registry.registerGauge("im.outbound.queue.depth", () -> {
            AtomicLong total = new AtomicLong();
            hub.forEachSession(session -> total.addAndGet(session.queuedFrames()));
            return total.get();
        });
        registry.registerGauge("im.outbound.queue.depth.max", () -> {
            AtomicInteger max = new AtomicInteger();
            hub.forEachSession(session -> max.accumulateAndGet(session.queuedFrames(), Math::max));
            return max.get();
        });
        framesWritten = registry.meter("im.frames.written");
        delivered = registry.meter("im.messages.delivered");
        receiptsDelivered = registry.meter("im.receipts.delivered");
        receiptsOffline = registry.meter("im.receipts.offline");
        dropped = registry.counter("im.messages.dropped");
        duplicateReceipts = registry.counter("im.receipts.duplicate");
        invalidEnvelopes = registry.counter("im.envelopes.invalid");
        errorFrames = registry.counter("im.frames.errors");
        slowConsumers = registry.counter("im.connections.slow");
        redisFailures = registry.counter("im.redis.commands.failed");
        // updated once per written message, from several fan-out threads at once: the lock-free reservoir
        deliveryLatency = registry.timer(
                "im.delivery.latency",
                () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
        resumed = registry.counter("im.sessions.resumed");
        RESUME_FAILURES.forEach(reason -> registry.counter("im.sessions.resume.failed." + reason));
        UPGRADE_REFUSALS.forEach(reason -> registry.counter("im.upgrades.refused." + reason));
        replayed = registry.meter("im.frames.replayed");
        acks = registry.meter("im.acks");
        invalidAcks = registry.counter("im.acks.invalid");
        ENVELOPE_TYPES.forEach(type -> envelopesByType.put(type, registry.meter("im.envelopes.received." + type)));
        CLOSE_CODES.forEach(code -> closesByCode.put(code, registry.counter("im.connections.closed." + code)));
    }

    /** Gauges of the client sessions: how many, how many wait in their window, bytes of kept frames. */
    public void sessionGauges(ClientSessions sessions) {
        registry.registerGauge("im.sessions", sessions::count);
        registry.registerGauge("im.sessions.window", sessions::inWindow);
        registry.registerGauge("im.sessions.buffer.bytes", sessions::keptBytes);
    }

    /** The gauge of clients in their offline grace: {@code graced} counts them. */
    public void offlineGraceGauge(IntSupplier graced) {
        registry.registerGauge("im.sessions.grace", graced::getAsInt);
    }

    @Override
    public void resumed(int frames) {
        resumed.inc();
        replayed.mark(frames);
    }

    @Override
    public void resumeFailed(String reason) {
        registry.counter("im.sessions.resume.failed." + reason).inc();
    }

    @Override
    public void acked() {
        acks.mark();
    }

    public void invalidAck() {
        invalidAcks.inc();
    }

    public void envelope(String type) {
        envelopesByType
                .computeIfAbsent(type, t -> registry.meter("im.envelopes.received." + t))
                .mark();
    }

    public void invalidEnvelope() {
        invalidEnvelopes.inc();
    }

    public void frameWritten() {
        framesWritten.mark();
    }

    /** A message frame was written; {@code publishedAtMillis} is the publisher's {@code ts}. */
    public void delivered(long publishedAtMillis) {
        delivered.mark();
        long latency = System.currentTimeMillis() - publishedAtMillis;
        if (publishedAtMillis > 0 && latency >= 0) {
            deliveryLatency.update(latency, TimeUnit.MILLISECONDS);
        }
    }

    public void receipt(ReceiptStatus status) {
        (status == ReceiptStatus.DELIVERED ? receiptsDelivered : receiptsOffline).mark();
    }

    public void dropped() {
        dropped.inc();
    }

    /** A second copy of a receipt, dropped. */
    public void duplicateReceipt() {
        duplicateReceipts.inc();
    }

    public void errorFrame() {
        errorFrames.inc();
    }

    public void slowConsumer() {
        slowConsumers.inc();
    }

    public void redisFailure() {
        redisFailures.inc();
    }

    /** An upgrade was refused for {@code reason}, one of {@link #UPGRADE_REFUSALS}. */
    public void upgradeRefused(String reason) {
        registry.counter("im.upgrades.refused." + reason).inc();
    }

    public void closed(int code) {
        closesByCode
                .computeIfAbsent(code, c -> registry.counter("im.connections.closed." + c))
                .inc();
    }
}
