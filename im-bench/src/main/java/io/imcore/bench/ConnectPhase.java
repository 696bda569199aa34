package io.imcore.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Opens {@code --clients} terminals, at most {@code --connect-concurrency} handshakes at a time: a token from
 * {@code prevConnectServer}, the WebSocket upgrade, then {@code hello}. Reports the setup rate, the handshake
 * latency (upgrade start to {@code hello}), the node's CPU per connection and, after {@code --settle}, its RSS
 * per connection.
 */
final class ConnectPhase {
    private final RunContext ctx;
    private final Histogram handshake = new ConcurrentHistogram(Stats.HIGHEST_MICROS, 3);
    private final LongAdder failed = new LongAdder();
    private final LongAdder ready = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong lastHello = new AtomicLong();

    ConnectPhase(RunContext ctx) {
        this.ctx = ctx;
    }

    Map<String, Object> run() throws InterruptedException {
        BenchOptions options = ctx.options;
        int n = options.clients();
        ctx.progress(
                "connect: opening %d connections to %s (%d in flight at most)",
                n, options.servers(), options.connectConcurrency());
        long rssBefore = ProcStat.rssBytes(ctx.nodePids);
        CpuWindow cpu = CpuWindow.open(ctx);
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        ExecutorService tokens = Executors.newFixedThreadPool(4, RunContext.daemon("bench-token"));
        List<CompletableFuture<Long>> readies = new ArrayList<>(n);
        long start = System.nanoTime();
        long lastProgress = start;
        for (int i = 0; i < n; i++) {
            if (options.connectRate() > 0) {
                RunContext.waitUntil(start + (long) (i * (1e9 / options.connectRate())));
            }
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS) && !ctx.expired()) {
                // a handshake must finish first
            }
            if (ctx.expired()) {
                ctx.markTimedOut();
                break;
            }
            Terminal terminal = new Terminal(options.idPrefix() + i, ctx.router, options.acks());
            ctx.terminals.add(terminal);
            AtomicLong connectStarted = new AtomicLong();
            // wait for this callback, not for ready itself: the handshake must be recorded before it is read
            readies.add(terminal.ready.whenComplete((helloNanos, error) -> {
                if (error == null) {
                    handshake.recordValue(Stats.clampMicros(helloNanos - connectStarted.get()));
                    ready.increment();
                    lastHello.accumulateAndGet(helloNanos, Math::max);
                } else {
                    failed.increment();
                    firstError.compareAndSet(null, terminal.clientId() + ": " + error);
                }
                inFlight.release();
            }));
            tokens.execute(() -> open(terminal, connectStarted));
            long now = System.nanoTime();
            if (now - lastProgress > 2_000_000_000L) {
                lastProgress = now;
                ctx.progress("connect: %d started, %d ready, %d failed", i + 1, ready.sum(), failed.sum());
            }
        }
        tokens.shutdown();
        awaitAll(readies);
        long end = Math.max(lastHello.get(), start);
        Map<String, Object> map = new LinkedHashMap<>();
        List<Terminal> connected = new ArrayList<>();
        for (Terminal terminal : ctx.terminals) {
            if (terminal.ready.isDone() && !terminal.ready.isCompletedExceptionally() && terminal.isOpen()) {
                terminal.slot = connected.size();
                connected.add(terminal);
            }
        }
        ctx.live(connected);
        double seconds = (end - start) / 1e9;
        map.put("clients", n);
        map.put("connected", connected.size());
        map.put("failed", n - connected.size());
        if (firstError.get() != null) {
            map.put("firstError", firstError.get());
        }
        map.put("seconds", Stats.round(seconds, 3));
        map.put("connectionsPerSecond", seconds > 0 ? Stats.round(connected.size() / seconds, 1) : 0);
        map.put("handshakeMillis", Stats.percentilesMillis(handshake));
        cpu.report(map, connected.size(), "Connection");
        ctx.progress(
                "connect: %d of %d connected in %.1f s; settling %.1f s",
                connected.size(), n, seconds, options.settle().toMillis() / 1000.0);
        settle(map, rssBefore, connected.size());
        return map;
    }

    /** Waits {@code --settle}, then reads the node's RSS; reports the node's CPU while idle meanwhile. */
    private void settle(Map<String, Object> map, long rssBefore, int connected) throws InterruptedException {
        long idleCpuStart = ProcStat.cpuMicros(ctx.nodePids);
        long idleStart = System.nanoTime();
        ctx.sleepBounded(ctx.options.settle());
        long idleNanos = System.nanoTime() - idleStart;
        long idleCpuEnd = ProcStat.cpuMicros(ctx.nodePids);
        long rssAfter = ProcStat.rssBytes(ctx.nodePids);
        if (ctx.nodePids.isEmpty()) {
            return;
        }
        if (idleCpuStart >= 0 && idleCpuEnd >= 0 && idleNanos > 0) {
            map.put(
                    "nodeIdleCpuMillisPerSecond",
                    Stats.round((idleCpuEnd - idleCpuStart) / 1000.0 / (idleNanos / 1e9), 2));
        }
        map.put("nodeRssBeforeKiB", rssBefore / 1024);
        map.put("nodeRssAfterKiB", rssAfter / 1024);
        if (rssBefore >= 0 && rssAfter >= 0 && connected > 0) {
            map.put("nodeRssPerConnectionKiB", Stats.round((rssAfter - rssBefore) / 1024.0 / connected, 2));
        }
    }

    private void awaitAll(List<CompletableFuture<Long>> readies) throws InterruptedException {
        for (CompletableFuture<Long> future : readies) {
            try {
                future.get(ctx.nanosLeft(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (!future.isDone()) {
                    future.completeExceptionally(new IllegalStateException("no hello before the deadline"));
                    ctx.markTimedOut();
                }
            }
        }
    }

    private void open(Terminal terminal, AtomicLong connectStarted) {
        String url;
        try {
            url = ctx.im().prevConnectServer(terminal.clientId(), "bench") + (ctx.options.acks() ? "&acks=1" : "");
        } catch (RuntimeException e) {
            terminal.ready.completeExceptionally(e);
            return;
        }
        connectStarted.set(System.nanoTime());
        try {
            ctx.ws().connect(terminal, URI.create(url)).whenComplete((session, error) -> {
                if (error != null) {
                    terminal.ready.completeExceptionally(error);
                }
            });
        } catch (Exception e) {
            terminal.ready.completeExceptionally(e);
        }
    }
}
