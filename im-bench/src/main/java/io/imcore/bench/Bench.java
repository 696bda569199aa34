package io.imcore.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: connects the terminals, runs the scenario's phases on them and collects the results into
 * one map (the JSON line). Every wait is bounded by the run's deadline ({@code --max-duration}).
 */
final class Bench implements AutoCloseable {
    static final int PHASE_WARMUP = 1;
    static final int PHASE_P2P = 2;
    static final int PHASE_FANOUT = 3;
    static final int PHASE_FANOUT_WARMUP = 4;

    private final BenchOptions options;
    private final RunContext ctx;

    Bench(BenchOptions options, PrintStream log) {
        this.options = options;
        this.ctx = new RunContext(options, log);
    }

    /** Runs the scenario; returns the results (also when the deadline cut it short). */
    Map<String, Object> run() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("tool", "im-bench");
        results.put("scenario", options.scenario().label());
        results.put("run", ctx.run);
        results.put("machine", machine());
        results.put("options", options.describe());
        ctx.start();
        if (options.scenario() == BenchOptions.Scenario.CHURN) {
            Map<String, Object> churn = new ChurnPhase(ctx).run();
            results.put("churn", churn);
            results.put("timedOut", ctx.timedOut());
            results.put(
                    "zeroLoss",
                    ((Number) churn.get("lostToConnectedReceivers")).longValue() == 0
                            && ((Number) churn.get("duplicated")).longValue() == 0
                            && ((Number) churn.get("publishErrors")).longValue() == 0);
            results.put("loadAverageAtEnd", ProcStat.loadAverage());
            return results;
        }
        if (options.scenario() == BenchOptions.Scenario.RESUME) {
            Map<String, Object> resume = new ResumePhase(ctx).run();
            results.put("resume", resume);
            results.put("timedOut", ctx.timedOut());
            results.put("zeroLoss", ResumePhase.zeroLoss(resume));
            results.put("loadAverageAtEnd", ProcStat.loadAverage());
            return results;
        }
        results.put("connect", new ConnectPhase(ctx).run());
        if (options.scenario().p2p() && !ctx.expired()) {
            results.put("p2pWarmup", new P2pPhase(ctx, PHASE_WARMUP, options.warmup()).run("p2p warm-up"));
            if (!ctx.expired()) {
                results.put("p2p", new P2pPhase(ctx, PHASE_P2P, options.messages()).run("p2p"));
            }
        }
        if (options.scenario().fanout() && !ctx.expired()) {
            FanoutPhase fanout = new FanoutPhase(ctx);
            fanout.join();
            if (options.fanoutWarmup() > 0) {
                results.put("fanoutWarmup", fanout.run(PHASE_FANOUT_WARMUP, options.fanoutWarmup(), "fanout warm-up"));
            }
            if (!ctx.expired()) {
                results.put("fanout", fanout.run(PHASE_FANOUT, options.fanoutMessages(), "fanout"));
            }
        }
        FrameRouter router = ctx.router;
        results.put("otherFrames", router.otherFrames.sum());
        if (router.firstOther.get() != null) {
            results.put("firstOtherFrame", router.firstOther.get());
        }
        results.put("unexpectedCloses", router.unexpectedCloses.sum());
        if (router.firstClose.get() != null) {
            results.put("firstUnexpectedClose", router.firstClose.get());
        }
        results.put("timedOut", ctx.timedOut());
        results.put("zeroLoss", zeroLoss(results));
        results.put("loadAverageAtEnd", ProcStat.loadAverage());
        return results;
    }

    /** Keeps the connections open for {@code --hold}, within the deadline. */
    void hold() throws InterruptedException {
        if (!options.hold().isZero() && !ctx.expired()) {
            ctx.progress(
                    "holding %d connections open for %.0f s",
                    ctx.live().size(), options.hold().toMillis() / 1000.0);
            ctx.sleepBounded(options.hold());
        }
    }

    boolean timedOut() {
        return ctx.timedOut();
    }

    /** True when every connection opened and every message of every phase arrived once, at the right client. */
    static boolean zeroLoss(Map<String, Object> results) {
        if (results.get("connect") instanceof Map<?, ?> connect && ((Number) connect.get("failed")).longValue() != 0) {
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

    private static Map<String, Object> machine() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", Runtime.getRuntime().availableProcessors());
        map.put("loadAverageAtStart", ProcStat.loadAverage());
        map.put("java", System.getProperty("java.version"));
        map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return map;
    }

    @Override
    public void close() {
        ctx.close();
    }
}
