package io.imcore.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes {@code messages} point-to-point messages through {@code ImClient.sendMessage}, each to one random
 * connected terminal, from {@code --publishers} threads at {@code --rate} msg/s in total (0: flat out), on an
 * absolute schedule so a late publisher catches up instead of drifting; then waits for the deliveries. With
 * {@code --async N}, through {@code ImClient.sendMessageAsync} instead, at most N sends in flight over all publishers.
 */
final class P2pPhase {
    private final RunContext ctx;
    private final int phase;
    private final int messages;
    private final LongAdder publishErrors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong maxLagNanos = new AtomicLong();
    /** Permits for async sends in flight, null when publishing with sendMessage. */
    private final Semaphore inFlight;

    P2pPhase(RunContext ctx, int phase, int messages) {
        this.ctx = ctx;
        this.phase = phase;
        this.messages = messages;
        this.inFlight = ctx.options.async() > 0 ? new Semaphore(ctx.options.async()) : null;
    }

    Map<String, Object> run(String name) throws InterruptedException {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Terminal> live = ctx.live();
        if (live.isEmpty()) {
            map.put("skipped", "no connected terminal");
            return map;
        }
        BenchOptions options = ctx.options;
        Random random = new Random(options.seed() + phase);
        int[] target = new int[messages];
        for (int i = 0; i < messages; i++) {
            target[i] = random.nextInt(live.size());
        }
        P2pLedger ledger = new P2pLedger(target);
        ctx.router.register(phase, ledger);
        ctx.progress(
                "%s: %d messages to random clients at %s",
                name, messages, options.rate() == 0 ? "full speed" : options.rate() + " msg/s");
        CpuWindow cpu = CpuWindow.open(ctx);
        long start = System.nanoTime() + 10_000_000L;
        int threads = Math.min(options.publishers(), Math.max(1, messages));
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread thread = new Thread(() -> publish(first, threads, start, ledger, live), "bench-publisher-" + t);
            thread.setDaemon(true);
            publishers.add(thread);
            thread.start();
        }
        for (Thread thread : publishers) {
            thread.join(ctx.millisLeft());
        }
        if (inFlight != null && !inFlight.tryAcquire(options.async(), ctx.millisLeft(), TimeUnit.MILLISECONDS)) {
            firstError.compareAndSet(null, "async sends still in flight at the end of the run");
        }
        long publishEnd = System.nanoTime();
        long published = ledger.published();
        ctx.drain(() -> ledger.delivered() + ledger.duplicates() >= published);
        long end = System.nanoTime();
        double publishSeconds = Math.max(1e-9, (publishEnd - start) / 1e9);
        map.put("messages", messages);
        map.put("published", published);
        map.put("publishErrors", publishErrors.sum());
        if (firstError.get() != null) {
            map.put("firstPublishError", firstError.get());
        }
        map.put("targetRate", options.rate());
        map.put("achievedRate", Stats.round(published / publishSeconds, 1));
        long lastDelivery = ledger.lastDeliveryNanos();
        map.put(
                "deliveredRate",
                lastDelivery == 0
                        ? 0.0
                        : Stats.round(ledger.delivered() / Math.max(1e-9, (lastDelivery - start) / 1e9), 1));
        map.put("maxPublisherLagMillis", Stats.round(maxLagNanos.get() / 1e6, 3));
        map.put("delivered", ledger.delivered());
        map.put("missing", ledger.missing());
        map.put("lost", ledger.lost());
        map.put("failedButDelivered", ledger.failedButDelivered());
        map.put("duplicated", ledger.duplicates());
        map.put("wrongClient", ledger.wrongClient());
        map.put("seconds", Stats.round((end - start) / 1e9, 3));
        map.put("latencyMillis", Stats.percentilesMillis(ledger.latency()));
        cpu.report(map, ledger.delivered(), "Delivery");
        ctx.progress(
                "%s: delivered %d of %d, missing %d, duplicated %d, wrong client %d",
                name, ledger.delivered(), published, ledger.missing(), ledger.duplicates(), ledger.wrongClient());
        return map;
    }

    /** Publisher {@code first} of {@code threads}: messages first, first + threads, … */
    private void publish(int first, int threads, long start, P2pLedger ledger, List<Terminal> live) {
        double interval = ctx.options.rate() == 0 ? 0 : 1e9 / ctx.options.rate();
        for (int seq = first; seq < messages; seq += threads) {
            long now = System.nanoTime();
            if (ctx.expired()) {
                return;
            }
            if (interval > 0) {
                long intended = start + (long) (seq * interval);
                now = RunContext.waitUntil(intended);
                maxLagNanos.accumulateAndGet(now - intended, Math::max);
            }
            List<String> to = List.of(live.get(ledger.target(seq)).clientId());
            if (inFlight != null) {
                try {
                    if (!inFlight.tryAcquire(ctx.millisLeft(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                int sent = seq;
                ledger.sending(sent, System.nanoTime());
                try {
                    ctx.im()
                            .sendMessageAsync("", to, ctx.data(phase, seq), false)
                            .whenComplete((id, error) -> {
                                if (error != null) {
                                    failed(ledger, sent, error.getCause() != null ? error.getCause() : error);
                                }
                                inFlight.release();
                            });
                } catch (RuntimeException e) {
                    failed(ledger, seq, e);
                    inFlight.release();
                }
                continue;
            }
            ledger.sending(seq, now);
            try {
                ctx.im().sendMessage("", to, ctx.data(phase, seq), false);
            } catch (RuntimeException e) {
                failed(ledger, seq, e);
            }
        }
    }

    private void failed(P2pLedger ledger, int seq, Throwable e) {
        ledger.failed(seq);
        publishErrors.increment();
        firstError.compareAndSet(null, e.toString());
    }
}
