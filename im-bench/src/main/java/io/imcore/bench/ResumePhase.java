package io.imcore.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resume scenario: {@code --clients} terminals with acks on ({@link ResumeTerminal}) join one channel; for
 * {@code --resume-seconds} point-to-point messages go at {@code --rate} to random terminals and channel messages
 * at {@code --fanout-rate} to all of them, while every {@code --drop-every} seconds a {@code --drop-fraction} of
 * them drops abruptly and resumes {@code --drop-pause} later on a fresh URL. Every message must arrive exactly
 * once, in publish order per publisher, whatever the drops.
 */
final class ResumePhase {
    private final RunContext ctx;
    private final BenchOptions options;
    private final AtomicLong drops = new AtomicLong();

    ResumePhase(RunContext ctx) {
        this.ctx = ctx;
        this.options = ctx.options;
    }

    Map<String, Object> run() throws InterruptedException {
        int n = options.clients();
        long seconds = options.resumeSeconds().toSeconds();
        int p2pCapacity = (int) ((long) options.rate() * seconds + options.rate());
        int chanCapacity = (int) Math.ceil(options.fanoutRate() * seconds) + 2;
        Random random = new Random(options.seed());
        int[] target = new int[p2pCapacity];
        for (int i = 0; i < p2pCapacity; i++) {
            target[i] = random.nextInt(n);
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, RunContext.daemon("bench-resume"));
        ResumeLedger ledger = new ResumeLedger(ctx.run, scheduler, n, options.publishers(), target, chanCapacity);
        String chan = "bench-" + ctx.run;
        List<ResumeTerminal> terminals = new ArrayList<>(n);
        Map<String, Object> map = new LinkedHashMap<>();
        try {
            ctx.progress("resume: %d terminals join %s and connect with acks", n, chan);
            for (int i = 0; i < n && !ctx.expired(); i++) {
                ResumeTerminal terminal = new ResumeTerminal(i, options.idPrefix() + i, ctx, ledger);
                ctx.im().joinChan(terminal.clientId, chan);
                terminals.add(terminal);
            }
            connectAll(terminals);
            long connected = terminals.stream().filter(ResumeTerminal::isReady).count();
            map.put("clients", n);
            map.put("connected", connected);
            if (connected < n || ctx.expired()) {
                map.put("skipped", "only " + connected + " of " + n + " terminals connected");
                return map;
            }
            ScheduledFuture<?> acks = scheduler.scheduleWithFixedDelay(
                    () -> terminals.forEach(ResumeTerminal::ackIfBehind), 100, 100, TimeUnit.MILLISECONDS);
            int perDrop = (int) Math.round(options.dropFraction() * n);
            long dropEvery = options.dropEvery().toMillis();
            ctx.progress(
                    "resume: %d s of p2p at %d msg/s and channel messages at %s msg/s; %d terminals drop every %.1f s",
                    seconds, options.rate(), options.fanoutRate(), perDrop, dropEvery / 1000.0);
            CpuWindow cpu = CpuWindow.open(ctx);
            long start = System.nanoTime() + 10_000_000L;
            long end = start + options.resumeSeconds().toNanos();
            Random dropRandom = new Random(options.seed() + 1);
            ScheduledFuture<?> dropping = scheduler.scheduleAtFixedRate(
                    () -> dropSome(terminals, perDrop, dropRandom), dropEvery, dropEvery, TimeUnit.MILLISECONDS);
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < options.publishers(); t++) {
                int first = t;
                publishers.add(start(() -> publishP2p(first, start, end, ledger), "bench-publisher-" + t));
            }
            publishers.add(start(() -> publishChan(chan, start, end, ledger), "bench-chan-publisher"));
            for (Thread thread : publishers) {
                thread.join(ctx.millisLeft());
            }
            dropping.cancel(false);
            long publishEnd = System.nanoTime();
            ctx.progress(
                    "resume: published %d p2p and %d channel messages; %d drops; draining",
                    ledger.p2pPublished.sum(), ledger.chanPublished.sum(), drops.get());
            ctx.drain(() -> terminals.stream().allMatch(ResumeTerminal::isReady)
                    && ledger.p2pLost() <= 0
                    && ledger.chanLost() <= 0);
            acks.cancel(false);
            map.put("seconds", Stats.round((publishEnd - start) / 1e9, 3));
            map.put("drops", drops.get());
            map.put("resumesOk", ledger.resumesOk.sum());
            map.put("resumesFailed", ledger.resumesFailed.sum());
            map.put("resumeMillis", Stats.percentilesMillis(ledger.resumeMicros));
            map.put("framesReplayed", ledger.replayed.sum());
            map.put("p2pPublished", ledger.p2pPublished.sum());
            map.put("p2pDelivered", ledger.p2pDelivered.sum());
            map.put("p2pLost", ledger.p2pLost());
            map.put("p2pDuplicated", ledger.p2pDuplicated.sum());
            map.put("chanPublished", ledger.chanPublished.sum());
            map.put("chanExpectedDeliveries", ledger.chanExpected());
            map.put("chanDelivered", ledger.chanDelivered.sum());
            map.put("chanLost", ledger.chanLost());
            map.put("chanDuplicated", ledger.chanDuplicated.sum());
            map.put("lost", ledger.p2pLost() + ledger.chanLost());
            map.put("duplicated", ledger.p2pDuplicated.sum() + ledger.chanDuplicated.sum());
            map.put("outOfOrder", ledger.outOfOrder.sum());
            map.put("wrongClient", ledger.wrongClient.sum());
            map.put("otherFrames", ledger.otherFrames.sum());
            map.put("seqGaps", ledger.seqGaps.sum());
            map.put("repeatedSeqs", ledger.repeatedSeqs.sum());
            map.put("unexpectedCloses", ledger.unexpectedCloses.sum());
            map.put("connectFailures", ledger.connectFailures.sum());
            map.put("publishErrors", ledger.publishErrors.sum());
            map.put(
                    "stillReconnecting",
                    terminals.stream().filter(t -> !t.isReady()).count());
            if (ledger.firstProblem.get() != null) {
                map.put("firstProblem", ledger.firstProblem.get());
            }
            map.put("latencyMillis", Stats.percentilesMillis(ledger.latencyMicros));
            cpu.report(map, ledger.p2pDelivered.sum() + ledger.chanDelivered.sum(), "Delivery");
            ctx.progress(
                    "resume: %d drops, resumes ok %d / failed %d, replayed %d; lost %s, duplicated %s, out of order %s",
                    drops.get(),
                    ledger.resumesOk.sum(),
                    ledger.resumesFailed.sum(),
                    ledger.replayed.sum(),
                    map.get("lost"),
                    map.get("duplicated"),
                    map.get("outOfOrder"));
            return map;
        } finally {
            terminals.forEach(ResumeTerminal::stop);
            scheduler.shutdownNow();
        }
    }

    /** True when the run lost, doubled, reordered or misdelivered nothing and every resume succeeded. */
    static boolean zeroLoss(Map<?, ?> resume) {
        if (resume.containsKey("skipped")) {
            return false;
        }
        for (String key : List.of(
                "lost",
                "duplicated",
                "outOfOrder",
                "wrongClient",
                "otherFrames",
                "seqGaps",
                "repeatedSeqs",
                "resumesFailed",
                "publishErrors",
                "stillReconnecting")) {
            if (((Number) resume.get(key)).longValue() != 0) {
                return false;
            }
        }
        return true;
    }

    private void connectAll(List<ResumeTerminal> terminals) throws InterruptedException {
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        for (ResumeTerminal terminal : terminals) {
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (ctx.expired()) {
                    ctx.markTimedOut();
                    return;
                }
            }
            terminal.ready.whenComplete((ok, error) -> inFlight.release());
            terminal.connect();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!terminals.stream().allMatch(ResumeTerminal::isReady) && System.nanoTime() < until) {
            if (ctx.expired()) {
                ctx.markTimedOut();
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void dropSome(List<ResumeTerminal> terminals, int count, Random random) {
        long pause = options.dropPause().toMillis();
        for (int i = 0, tries = 0; i < count && tries < count * 4; tries++) {
            if (terminals.get(random.nextInt(terminals.size())).drop(pause)) {
                drops.incrementAndGet();
                i++;
            }
        }
    }

    private static Thread start(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Publisher {@code first} of {@code --publishers}: messages first, first + publishers, … until {@code end}. */
    private void publishP2p(int first, long start, long end, ResumeLedger ledger) {
        double interval = 1e9 / options.rate();
        for (int seq = first; seq < ledger.p2pCapacity(); seq += options.publishers()) {
            long intended = start + (long) (seq * interval);
            if (intended >= end || ctx.expired()) {
                return;
            }
            long now = RunContext.waitUntil(intended);
            ledger.sendingP2p(seq, now);
            try {
                String to = options.idPrefix() + ledger.target(seq);
                ctx.im().sendMessage("", List.of(to), ctx.data(ResumeLedger.P2P, seq), false);
            } catch (RuntimeException e) {
                ledger.publishErrors.increment();
                ledger.firstProblem.compareAndSet(null, "publish failed: " + e);
            }
        }
    }

    private void publishChan(String chan, long start, long end, ResumeLedger ledger) {
        double interval = 1e9 / options.fanoutRate();
        for (int seq = 0; seq < ledger.chanCapacity(); seq++) {
            long intended = start + (long) (seq * interval);
            if (intended >= end || ctx.expired()) {
                return;
            }
            long now = RunContext.waitUntil(intended);
            ledger.sendingChan(seq, now);
            try {
                ctx.im().sendChanMessage("", chan, ctx.data(ResumeLedger.CHAN, seq));
            } catch (RuntimeException e) {
                ledger.publishErrors.increment();
                ledger.firstProblem.compareAndSet(null, "publish failed: " + e);
            }
        }
    }
}
