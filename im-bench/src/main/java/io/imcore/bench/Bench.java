package io.imcore.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.protocol.Codec;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * One benchmark run: connects the terminals, runs the scenario's phases on them and collects the results.
 * Every wait is bounded by the run's deadline ({@code --max-duration}).
 */
final class Bench implements AutoCloseable {
    static final int PHASE_WARMUP = 1;
    static final int PHASE_P2P = 2;
    static final int PHASE_FANOUT = 3;
    static final int PHASE_FANOUT_WARMUP = 4;

    private final BenchOptions options;
    private final PrintStream log;
    private final String run;
    private final long deadlineNanos;
    private final FrameRouter router;
    private final String padding;
    private final List<Long> nodePids;
    private final long selfPid = ProcessHandle.current().pid();
    private ImClient im;
    private WebSocketClient ws;
    private final List<Terminal> terminals = new ArrayList<>();
    private List<Terminal> live = List.of();
    private boolean timedOut;
    private final LongAdder joinErrors = new LongAdder();
    private final AtomicReference<String> firstJoinError = new AtomicReference<>();
    private double idleNodeCpuMillisPerSecond = -1;

    Bench(BenchOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.run = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(new Random().nextInt(1 << 20), 36);
        this.deadlineNanos = System.nanoTime() + options.maxDuration().toNanos();
        this.router = new FrameRouter(run);
        this.padding = "x".repeat(options.payloadBytes());
        this.nodePids = options.nodePids();
    }

    /** Runs the scenario; returns the results (also when the deadline cut it short). */
    Map<String, Object> run() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("tool", "im-bench");
        results.put("scenario", options.scenario().label());
        results.put("run", run);
        results.put("machine", machine());
        results.put("options", options.describe());
        start();
        results.put("connect", connect());
        if (options.scenario().p2p() && !expired()) {
            results.put("p2pWarmup", p2p(PHASE_WARMUP, options.warmup()));
            if (!expired()) {
                results.put("p2p", p2p(PHASE_P2P, options.messages()));
            }
        }
        if (options.scenario().fanout() && !expired()) {
            String chan = joinChannel();
            if (options.fanoutWarmup() > 0) {
                results.put("fanoutWarmup", fanout(PHASE_FANOUT_WARMUP, options.fanoutWarmup(), chan));
            }
            if (!expired()) {
                results.put("fanout", fanout(PHASE_FANOUT, options.fanoutMessages(), chan));
            }
        }
        results.put("otherFrames", router.otherFrames.sum());
        if (router.firstOther.get() != null) {
            results.put("firstOtherFrame", router.firstOther.get());
        }
        results.put("unexpectedCloses", router.unexpectedCloses.sum());
        if (router.firstClose.get() != null) {
            results.put("firstUnexpectedClose", router.firstClose.get());
        }
        results.put("timedOut", timedOut || expired());
        results.put("zeroLoss", zeroLoss(results));
        results.put("loadAverageAtEnd", ProcStat.loadAverage());
        return results;
    }

    /** Keeps the connections open for {@code --hold}, within the deadline. */
    void hold() throws InterruptedException {
        if (!options.hold().isZero() && !expired()) {
            progress("holding %d connections open for %.0f s", live.size(), options.hold().toMillis() / 1000.0);
            sleepBounded(options.hold());
        }
    }

    boolean timedOut() {
        return timedOut;
    }

    private void start() throws Exception {
        im = ImClient.create(ImClientOptions.builder()
                .redisUri(options.redisUri())
                .servers(options.servers())
                .keyPrefix(options.keyPrefix())
                .maxConnections(options.publishers() + 8)
                .socketTimeout(Duration.ofSeconds(10))
                .build());
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
        threads.setName("bench-ws");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(Math.max(1, Runtime.getRuntime().availableProcessors()));
        connector.setExecutor(threads);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(options.connectConcurrency() + 16);
        http.setMaxRequestsQueuedPerDestination(options.clients() + 1024);
        http.setConnectTimeout(10_000);
        http.setIdleTimeout(options.maxDuration().toMillis() + 60_000);
        ws = new WebSocketClient(http);
        ws.setIdleTimeout(options.maxDuration().plusSeconds(60));
        ws.setMaxTextMessageSize(4L * 1024 * 1024);
        ws.setStopAtShutdown(false);
        ws.start();
    }

    // ---------------------------------------------------------------------------------------------- connect

    private Map<String, Object> connect() throws InterruptedException {
        int n = options.clients();
        progress("connect: opening %d connections to %s (%d in flight at most)", n, options.servers(),
                options.connectConcurrency());
        long rssBefore = ProcStat.rssBytes(nodePids);
        long cpuBefore = ProcStat.cpuMicros(nodePids);
        long selfBefore = ProcStat.cpuMicros(selfPid);
        Histogram handshake = new ConcurrentHistogram(Stats.HIGHEST_MICROS, 3);
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        LongAdder failed = new LongAdder();
        LongAdder ready = new LongAdder();
        LongAdder tokenFailures = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong lastHello = new AtomicLong();
        ExecutorService tokens = Executors.newFixedThreadPool(4, daemon("bench-token"));
        List<CompletableFuture<Long>> readies = new ArrayList<>(n);
        long start = System.nanoTime();
        long lastProgress = start;
        for (int i = 0; i < n; i++) {
            if (options.connectRate() > 0) {
                waitUntil(start + (long) (i * (1e9 / options.connectRate())));
            }
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (expired()) {
                    break;
                }
            }
            if (expired()) {
                timedOut = true;
                break;
            }
            Terminal terminal = new Terminal(options.idPrefix() + i, router);
            terminals.add(terminal);
            readies.add(terminal.ready);
            terminal.ready.whenComplete((helloNanos, error) -> {
                if (error == null) {
                    ready.increment();
                    lastHello.accumulateAndGet(helloNanos, Math::max);
                } else {
                    failed.increment();
                    firstError.compareAndSet(null, terminal.clientId() + ": " + error);
                }
                inFlight.release();
            });
            tokens.execute(() -> open(terminal, handshake, tokenFailures));
            long now = System.nanoTime();
            if (now - lastProgress > 2_000_000_000L) {
                lastProgress = now;
                progress("connect: %d started, %d ready, %d failed", i + 1, ready.sum(), failed.sum());
            }
        }
        tokens.shutdown();
        for (CompletableFuture<Long> future : readies) {
            long left = deadlineNanos - System.nanoTime();
            try {
                future.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (!future.isDone()) {
                    future.completeExceptionally(new IllegalStateException("no hello before the deadline"));
                    timedOut = true;
                }
            }
        }
        long end = Math.max(lastHello.get(), start);
        long cpuAfter = ProcStat.cpuMicros(nodePids);
        long selfAfter = ProcStat.cpuMicros(selfPid);
        List<Terminal> connected = new ArrayList<>();
        for (Terminal terminal : terminals) {
            if (terminal.ready.isDone() && !terminal.ready.isCompletedExceptionally() && terminal.isOpen()) {
                terminal.slot = connected.size();
                connected.add(terminal);
            }
        }
        live = List.copyOf(connected);
        double seconds = (end - start) / 1e9;
        progress("connect: %d of %d connected in %.1f s; settling %.1f s", live.size(), n, seconds,
                options.settle().toMillis() / 1000.0);

        long settleStartCpu = ProcStat.cpuMicros(nodePids);
        long settleStart = System.nanoTime();
        sleepBounded(options.settle());
        long settleNanos = System.nanoTime() - settleStart;
        long settleEndCpu = ProcStat.cpuMicros(nodePids);
        long rssAfter = ProcStat.rssBytes(nodePids);

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clients", n);
        map.put("connected", live.size());
        map.put("failed", n - live.size());
        if (firstError.get() != null) {
            map.put("firstError", firstError.get());
        }
        map.put("seconds", Stats.round(seconds, 3));
        map.put("connectionsPerSecond", seconds > 0 ? Stats.round(live.size() / seconds, 1) : 0);
        map.put("handshakeMillis", Stats.percentilesMillis(handshake));
        map.put("generatorCpuMillis", millisBetween(selfBefore, selfAfter));
        if (!nodePids.isEmpty()) {
            map.put("nodeCpuMillis", millisBetween(cpuBefore, cpuAfter));
            map.put("nodeCpuMicrosPerConnection", perUnit(cpuBefore, cpuAfter, live.size()));
            if (settleStartCpu >= 0 && settleEndCpu >= 0 && settleNanos > 0) {
                idleNodeCpuMillisPerSecond = Stats.round((settleEndCpu - settleStartCpu) / 1000.0
                        / (settleNanos / 1e9), 2);
                map.put("nodeIdleCpuMillisPerSecond", idleNodeCpuMillisPerSecond);
            }
            map.put("nodeRssBeforeKiB", rssBefore / 1024);
            map.put("nodeRssAfterKiB", rssAfter / 1024);
            if (rssBefore >= 0 && rssAfter >= 0 && !live.isEmpty()) {
                map.put("nodeRssPerConnectionKiB", Stats.round((rssAfter - rssBefore) / 1024.0 / live.size(), 2));
            }
        }
        return map;
    }

    private void open(Terminal terminal, Histogram handshake, LongAdder tokenFailures) {
        String url;
        try {
            url = im.prevConnectServer(terminal.clientId(), "bench");
        } catch (RuntimeException e) {
            tokenFailures.increment();
            terminal.ready.completeExceptionally(e);
            return;
        }
        long started = System.nanoTime();
        terminal.ready.thenAccept(helloNanos -> handshake.recordValue(Stats.clampMicros(helloNanos - started)));
        try {
            ws.connect(terminal, URI.create(url)).whenComplete((session, error) -> {
                if (error != null) {
                    terminal.ready.completeExceptionally(error);
                }
            });
        } catch (Exception e) {
            terminal.ready.completeExceptionally(e);
        }
    }

    // -------------------------------------------------------------------------------------------------- p2p

    private Map<String, Object> p2p(int phase, int messages) throws InterruptedException {
        String name = phase == PHASE_WARMUP ? "p2p warm-up" : "p2p";
        Map<String, Object> map = new LinkedHashMap<>();
        if (live.isEmpty()) {
            map.put("skipped", "no connected terminal");
            return map;
        }
        Random random = new Random(options.seed() + phase);
        int[] target = new int[messages];
        for (int i = 0; i < messages; i++) {
            target[i] = random.nextInt(live.size());
        }
        P2pLedger ledger = new P2pLedger(target);
        router.register(phase, ledger);
        progress("%s: %d messages to random clients at %s", name, messages,
                options.rate() == 0 ? "full speed" : options.rate() + " msg/s");
        int threads = Math.min(options.publishers(), Math.max(1, messages));
        LongAdder publishErrors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong maxLagNanos = new AtomicLong();
        long cpu0 = ProcStat.cpuMicros(nodePids);
        long redis0 = options.redisPid() > 0 ? ProcStat.cpuMicros(options.redisPid()) : -1;
        long self0 = ProcStat.cpuMicros(selfPid);
        long start = System.nanoTime() + 10_000_000L;
        double interval = options.rate() == 0 ? 0 : 1e9 / options.rate();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                for (int seq = first; seq < messages; seq += threads) {
                    long now = System.nanoTime();
                    if (now > deadlineNanos) {
                        return;
                    }
                    if (interval > 0) {
                        long intended = start + (long) (seq * interval);
                        now = waitUntil(intended);
                        maxLagNanos.accumulateAndGet(now - intended, Math::max);
                    }
                    ledger.sending(seq, now);
                    try {
                        im.sendMessage("", List.of(live.get(target[seq]).clientId()), data(phase, seq), false);
                    } catch (RuntimeException e) {
                        publishErrors.increment();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }, "bench-publisher-" + t);
            thread.setDaemon(true);
            publishers.add(thread);
            thread.start();
        }
        for (Thread thread : publishers) {
            thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        }
        long publishEnd = System.nanoTime();
        long published = ledger.published();
        drain(() -> ledger.delivered() + ledger.duplicates() >= published);
        long end = System.nanoTime();
        long cpu1 = ProcStat.cpuMicros(nodePids);
        long redis1 = options.redisPid() > 0 ? ProcStat.cpuMicros(options.redisPid()) : -1;
        long self1 = ProcStat.cpuMicros(selfPid);
        double publishSeconds = Math.max(1e-9, (publishEnd - start) / 1e9);
        map.put("messages", messages);
        map.put("published", published);
        map.put("publishErrors", publishErrors.sum());
        if (firstError.get() != null) {
            map.put("firstPublishError", firstError.get());
        }
        map.put("targetRate", options.rate());
        map.put("achievedRate", Stats.round(published / publishSeconds, 1));
        map.put("maxPublisherLagMillis", Stats.round(maxLagNanos.get() / 1e6, 3));
        map.put("delivered", ledger.delivered());
        map.put("missing", ledger.missing());
        map.put("duplicated", ledger.duplicates());
        map.put("wrongClient", ledger.wrongClient());
        map.put("seconds", Stats.round((end - start) / 1e9, 3));
        map.put("latencyMillis", Stats.percentilesMillis(ledger.latency()));
        cpuFigures(map, cpu0, cpu1, redis0, redis1, self0, self1, ledger.delivered(), (end - start) / 1e9);
        progress("%s: delivered %d of %d, missing %d, duplicated %d, wrong client %d", name, ledger.delivered(),
                published, ledger.missing(), ledger.duplicates(), ledger.wrongClient());
        return map;
    }

    // ----------------------------------------------------------------------------------------------- fanout

    /** Every connected terminal joins the run's channel; returns its name. */
    private String joinChannel() throws InterruptedException {
        String chan = "bench-" + run;
        List<Terminal> members = live.stream().filter(Terminal::isOpen).toList();
        progress("fanout: %d clients join %s", members.size(), chan);
        ExecutorService joiners = Executors.newFixedThreadPool(Math.max(1, options.publishers()),
                daemon("bench-join"));
        for (Terminal member : members) {
            joiners.execute(() -> {
                try {
                    im.joinChan(member.clientId(), chan);
                } catch (RuntimeException e) {
                    joinErrors.increment();
                    firstJoinError.compareAndSet(null, e.toString());
                }
            });
        }
        joiners.shutdown();
        joiners.awaitTermination(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        return chan;
    }

    private Map<String, Object> fanout(int phase, int messages, String chan) throws InterruptedException {
        String name = phase == PHASE_FANOUT_WARMUP ? "fanout warm-up" : "fanout";
        Map<String, Object> map = new LinkedHashMap<>();
        List<Terminal> members = live.stream().filter(Terminal::isOpen).toList();
        if (members.isEmpty()) {
            map.put("skipped", "no connected terminal");
            return map;
        }
        // The terminals keep their slots among all connected ones; members are all of them unless some closed.
        FanoutLedger ledger = new FanoutLedger(live.size(), messages, chan);
        router.register(phase, ledger);
        progress("%s: %d messages to %d members at %s msg/s", name, messages, members.size(), options.fanoutRate());
        long cpu0 = ProcStat.cpuMicros(nodePids);
        long redis0 = options.redisPid() > 0 ? ProcStat.cpuMicros(options.redisPid()) : -1;
        long self0 = ProcStat.cpuMicros(selfPid);
        long start = System.nanoTime() + 10_000_000L;
        double interval = 1e9 / options.fanoutRate();
        LongAdder publishErrors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        for (int seq = 0; seq < messages && !expired(); seq++) {
            long now = waitUntil(start + (long) (seq * interval));
            ledger.sending(seq, now);
            try {
                im.sendChanMessage("", chan, data(phase, seq));
            } catch (RuntimeException e) {
                publishErrors.increment();
                firstError.compareAndSet(null, e.toString());
            }
        }
        drain(() -> ledger.delivered() + ledger.duplicates() >= ledger.expected());
        long end = System.nanoTime();
        long cpu1 = ProcStat.cpuMicros(nodePids);
        long redis1 = options.redisPid() > 0 ? ProcStat.cpuMicros(options.redisPid()) : -1;
        long self1 = ProcStat.cpuMicros(selfPid);
        map.put("channel", chan);
        map.put("members", live.size());
        map.put("membersOpenAtStart", members.size());
        map.put("joinErrors", joinErrors.sum());
        if (firstJoinError.get() != null) {
            map.put("firstJoinError", firstJoinError.get());
        }
        map.put("messages", messages);
        map.put("published", ledger.published());
        map.put("publishErrors", publishErrors.sum());
        if (firstError.get() != null) {
            map.put("firstPublishError", firstError.get());
        }
        map.put("rate", options.fanoutRate());
        map.put("expectedDeliveries", ledger.expected());
        map.put("delivered", ledger.delivered());
        map.put("missing", ledger.missing());
        map.put("duplicated", ledger.duplicates());
        map.put("wrongClient", ledger.wrong());
        map.put("seconds", Stats.round((end - start) / 1e9, 3));
        map.put("latencyMillis", Stats.percentilesMillis(ledger.latency()));
        map.put("reachEveryMemberMillis", Stats.percentilesMillis(ledger.completion()));
        cpuFigures(map, cpu0, cpu1, redis0, redis1, self0, self1, ledger.delivered(), (end - start) / 1e9);
        progress("%s: delivered %d of %d, missing %d, duplicated %d, wrong %d", name, ledger.delivered(),
                ledger.expected(), ledger.missing(), ledger.duplicates(), ledger.wrong());
        return map;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void cpuFigures(Map<String, Object> map, long cpu0, long cpu1, long redis0, long redis1, long self0,
                            long self1, long delivered, double seconds) {
        map.put("generatorCpuMillis", millisBetween(self0, self1));
        if (!nodePids.isEmpty()) {
            map.put("nodeCpuMillis", millisBetween(cpu0, cpu1));
            map.put("nodeCpuMicrosPerDelivery", perUnit(cpu0, cpu1, delivered));
        }
        if (options.redisPid() > 0) {
            map.put("redisCpuMillis", millisBetween(redis0, redis1));
            map.put("redisCpuMicrosPerDelivery", perUnit(redis0, redis1, delivered));
        }
    }

    private ObjectNode data(int phase, long seq) {
        ObjectNode node = Codec.mapper().createObjectNode();
        node.put("b", run);
        node.put("p", phase);
        node.put("s", seq);
        node.put("x", padding);
        return node;
    }

    private void drain(java.util.function.BooleanSupplier done) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + options.drain().toNanos());
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(2);
        }
        if (!done.getAsBoolean() && expired()) {
            timedOut = true;
        }
    }

    /**
     * Parks until about {@code nanos} (never spins: on a machine shared with the node, a spinning generator would
     * steal its CPU; the timer slack of some 50 µs shows in the reported publisher lag); returns the time then.
     */
    private static long waitUntil(long nanos) {
        long now = System.nanoTime();
        while (nanos - now > 20_000) {
            LockSupport.parkNanos(nanos - now);
            now = System.nanoTime();
        }
        return now;
    }

    private void sleepBounded(Duration duration) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + duration.toNanos());
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }

    private boolean expired() {
        return System.nanoTime() > deadlineNanos;
    }

    private static boolean zeroLoss(Map<String, Object> results) {
        if (results.get("connect") instanceof Map<?, ?> connect && !Long.valueOf(0).equals(
                ((Number) connect.get("failed")).longValue())) {
            return false;
        }
        for (String phase : List.of("p2pWarmup", "p2p", "fanoutWarmup", "fanout")) {
            if (results.get(phase) instanceof Map<?, ?> map) {
                if (map.containsKey("skipped")) {
                    return false;
                }
                for (String key : List.of("missing", "duplicated", "wrongClient", "publishErrors")) {
                    if (((Number) map.get(key)).longValue() != 0) {
                        return false;
                    }
                }
                if (map.containsKey("joinErrors") && ((Number) map.get("joinErrors")).longValue() != 0) {
                    return false;
                }
            }
        }
        return ((Number) results.get("unexpectedCloses")).longValue() == 0;
    }

    private Map<String, Object> machine() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", Runtime.getRuntime().availableProcessors());
        map.put("loadAverageAtStart", ProcStat.loadAverage());
        map.put("java", System.getProperty("java.version"));
        map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return map;
    }

    private static double millisBetween(long before, long after) {
        return before < 0 || after < 0 ? -1 : Stats.round((after - before) / 1000.0, 1);
    }

    private static double perUnit(long before, long after, long units) {
        return before < 0 || after < 0 || units <= 0 ? -1 : Stats.round((double) (after - before) / units, 2);
    }

    private void progress(String format, Object... args) {
        if (!options.quiet()) {
            log.printf("[im-bench] " + format + "%n", args);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Closes every terminal (waiting a bounded time for the closes), the WebSocket client and ImClient. */
    @Override
    public void close() {
        router.closing();
        for (Terminal terminal : terminals) {
            terminal.close();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Terminal terminal : terminals) {
            while (terminal.isOpen() && System.nanoTime() < until) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        try {
            if (ws != null) {
                ws.stop();
            }
        } catch (Exception e) {
            log.println("[im-bench] stopping the WebSocket client failed: " + e);
        }
        if (im != null) {
            im.close();
        }
    }
}
