package io.imcore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The churn scenario: {@code --clients} terminals that reconnect as real ones do ({@link ChurnClient}) and one
 * sender, while messages with receipts go at {@code --rate} to random terminals for {@code --churn-seconds}.
 * Meanwhile the operator changes the cluster (kills a node, adds one: {@code ops/cluster/churn-bench.sh}). Every
 * message ends delivered (its frame arrived), {@code offline} (its receipt said so) or lost (neither, after
 * {@code --drain}); lost messages whose receiver was connected when the message was accepted, while the sender stayed
 * connected, are the ones the cluster promised not to lose ({@code lostToConnectedReceivers}). An {@code offline}
 * receipt goes to the sender's connection: one decided while the sender had none (its node killed, or it moved)
 * is dropped by design, so those losses are counted apart ({@code lostWhileSenderAway}: the sender was not
 * connected at the send or lost its connection later). Reports reconnect times (close to {@code hello}) as
 * percentiles.
 */
final class ChurnPhase {
    private static final int PHASE = 5;
    private static final int PENDING = 0;
    private static final int DELIVERED = 1;
    private static final int OFFLINE = 2;
    /** In {@link #seqOfId}: an offline receipt that came before sendMessage returned its id. */
    private static final int EARLY_OFFLINE = -1;

    private final RunContext ctx;
    private final Histogram reconnects = new Histogram(Stats.HIGHEST_MICROS, 3);
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder publishErrors = new LongAdder();
    private final Map<String, Integer> seqOfId = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    private final Map<Integer, Histogram> reconnectsByCode = new ConcurrentHashMap<>();
    private final LongAdder senderCloses = new LongAdder();

    ChurnPhase(RunContext ctx) {
        this.ctx = ctx;
    }

    Map<String, Object> run() throws InterruptedException {
        BenchOptions options = ctx.options;
        int n = options.clients();
        int capacity = (int) Math.min(
                Integer.MAX_VALUE - 8,
                Math.max(1, (long) options.rate() * options.churnSeconds().toSeconds() + options.rate()));
        AtomicIntegerArray state = new AtomicIntegerArray(capacity);
        int[] receiverOf = new int[capacity];
        boolean[] connectedAtSend = new boolean[capacity];
        boolean[] senderConnectedAtSend = new boolean[capacity];
        long[] senderClosesAtSend = new long[capacity];
        FrameScan scan = new FrameScan(ctx.run);
        ScheduledExecutorService retries = Executors.newScheduledThreadPool(2, RunContext.daemon("bench-retry"));
        List<ChurnClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(new ChurnClient(
                    ctx,
                    options.idPrefix() + i,
                    retries,
                    frame -> {
                        long mark = scan.scan(frame);
                        if (mark != FrameScan.NOT_OURS && FrameScan.phaseOf(mark) == PHASE) {
                            int seq = (int) FrameScan.seqOf(mark);
                            if (seq < capacity && state.getAndSet(seq, DELIVERED) == DELIVERED) {
                                duplicates.increment();
                            }
                        }
                    },
                    this::reconnected,
                    this::closed));
        }
        ChurnClient sender = new ChurnClient(
                ctx,
                options.idPrefix() + "sender",
                retries,
                frame -> receipt(frame, state),
                this::reconnected,
                code -> {
                    senderCloses.increment();
                    closed(code);
                });
        ctx.progress("churn: connecting %d terminals and a sender", n);
        sender.connect();
        clients.forEach(ChurnClient::connect);
        long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((!sender.isReady() || clients.stream().anyMatch(c -> !c.isReady()))
                && System.nanoTime() < connectDeadline
                && !ctx.expired()) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long connected = clients.stream().filter(ChurnClient::isReady).count();
        ctx.progress(
                "churn: %d of %d connected; sending %d msg/s for %d s: change the cluster now",
                connected, n, options.rate(), options.churnSeconds().toSeconds());
        Random random = new Random(options.seed());
        long start = System.nanoTime();
        long end = start + options.churnSeconds().toNanos();
        double interval = 1e9 / Math.max(1, options.rate());
        int published = 0;
        while (published < capacity && !ctx.expired()) {
            long intended = start + (long) (published * interval);
            if (intended >= end) {
                break;
            }
            RunContext.waitUntil(intended);
            int receiver = random.nextInt(n);
            receiverOf[published] = receiver;
            connectedAtSend[published] = clients.get(receiver).isReady();
            senderConnectedAtSend[published] = sender.isReady();
            senderClosesAtSend[published] = senderCloses.sum();
            try {
                String id = ctx.im()
                        .sendMessage(
                                sender.clientId(),
                                List.of(clients.get(receiver).clientId()),
                                ctx.data(PHASE, published),
                                true);
                // one atomic step each side: the receipt thread may be between its look-up and its mark
                Integer early = seqOfId.put(id, published);
                if (early != null && early == EARLY_OFFLINE) {
                    state.compareAndSet(published, PENDING, OFFLINE);
                }
            } catch (RuntimeException e) {
                publishErrors.increment();
                state.set(published, -1);
            }
            published++;
        }
        int sent = published;
        ctx.progress(
                "churn: %d sent; waiting up to %.0f s for deliveries and receipts",
                sent, options.drain().toMillis() / 1000.0);
        ctx.drain(() -> pending(state, sent) == 0);
        Map<String, Object> map = new LinkedHashMap<>();
        long delivered = 0;
        long offline = 0;
        long lost = 0;
        long lostWhileConnected = 0;
        long lostToConnectedReceivers = 0;
        long lostWhileSenderAway = 0;
        long senderClosesAtEnd = senderCloses.sum();
        for (int seq = 0; seq < sent; seq++) {
            int s = state.get(seq);
            if (s == DELIVERED) {
                delivered++;
            } else if (s == OFFLINE) {
                offline++;
            } else if (s == PENDING) {
                lost++;
                boolean senderAway = !senderConnectedAtSend[seq] || senderClosesAtEnd > senderClosesAtSend[seq];
                if (connectedAtSend[seq]) {
                    lostWhileConnected++;
                }
                if (senderAway) {
                    lostWhileSenderAway++;
                } else if (connectedAtSend[seq]) {
                    lostToConnectedReceivers++;
                }
            }
        }
        map.put("clients", n);
        map.put("connectedAtStart", connected);
        map.put("seconds", options.churnSeconds().toSeconds());
        map.put("published", sent);
        map.put("publishErrors", publishErrors.sum());
        map.put("delivered", delivered);
        map.put("offlineReceipts", offline);
        map.put("lost", lost);
        map.put("lostWhileConnected", lostWhileConnected);
        map.put("lostToConnectedReceivers", lostToConnectedReceivers);
        map.put("lostWhileSenderAway", lostWhileSenderAway);
        map.put("lostOther", lost - lostToConnectedReceivers - lostWhileSenderAway);
        map.put("duplicated", duplicates.sum());
        map.put("reconnectMillis", Stats.percentilesMillis(reconnects));
        Map<String, Object> byCloseCode = new LinkedHashMap<>();
        synchronized (this) {
            reconnectsByCode.forEach(
                    (code, histogram) -> byCloseCode.put(Integer.toString(code), Stats.percentilesMillis(histogram)));
        }
        map.put("reconnectMillisByCloseCode", byCloseCode);
        map.put("senderReconnects", senderCloses.sum());
        Map<String, Long> byCode = new LinkedHashMap<>();
        closes.forEach((code, count) -> byCode.put(Integer.toString(code), count.sum()));
        map.put("closesByCode", byCode);
        if (ChurnClient.FIRST_FAILURE.get() != null) {
            map.put("firstConnectFailure", ChurnClient.FIRST_FAILURE.get());
        }
        ctx.progress(
                "churn: delivered %d, offline %d, lost %d (%d to connected receivers with the sender connected, %d"
                        + " while the sender was away, %d while connected), reconnects %d (p50 %s ms, p99 %s ms)",
                delivered,
                offline,
                lost,
                lostToConnectedReceivers,
                lostWhileSenderAway,
                lostWhileConnected,
                reconnects.getTotalCount(),
                Stats.millis(reconnects.getValueAtPercentile(50)),
                Stats.millis(reconnects.getValueAtPercentile(99)));
        sender.stop();
        clients.forEach(ChurnClient::stop);
        retries.shutdownNow();
        return map;
    }

    private synchronized void reconnected(int closeCode, long nanos) {
        reconnects.recordValue(Stats.clampMicros(nanos));
        reconnectsByCode
                .computeIfAbsent(closeCode, c -> new Histogram(Stats.HIGHEST_MICROS, 3))
                .recordValue(Stats.clampMicros(nanos));
    }

    /** A receipt frame to the sender: {@code offline} settles its message unless it was delivered. */
    private void receipt(String frame, AtomicIntegerArray state) {
        if (!FrameScan.typeOf(frame).equals("receipt")) {
            return;
        }
        try {
            JsonNode json = Codec.mapper().readTree(frame);
            if (!"offline".equals(json.path("status").asText())) {
                return;
            }
            String id = json.path("id").asText();
            Integer seq = seqOfId.putIfAbsent(id, EARLY_OFFLINE);
            if (seq != null && seq >= 0) {
                state.compareAndSet(seq, PENDING, OFFLINE);
            }
        } catch (Exception e) {
            // not a receipt of this run
        }
    }

    private static long pending(AtomicIntegerArray state, int sent) {
        long pending = 0;
        for (int i = 0; i < sent; i++) {
            if (state.get(i) == PENDING) {
                pending++;
            }
        }
        return pending;
    }

    void closed(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }
}
