package io.imcore.bench;

import java.util.Map;

/** The CPU time of the nodes, Redis and the generator itself around one phase, from {@code /proc}. */
final class CpuWindow {
    private final RunContext ctx;
    private final long node;
    private final long redis;
    private final long self;

    private CpuWindow(RunContext ctx) {
        this.ctx = ctx;
        this.node = ProcStat.cpuMicros(ctx.nodePids);
        this.redis = ctx.options.redisPid() > 0 ? ProcStat.cpuMicros(ctx.options.redisPid()) : -1;
        this.self = ProcStat.cpuMicros(ctx.selfPid);
    }

    static CpuWindow open(RunContext ctx) {
        return new CpuWindow(ctx);
    }

    /** Puts the CPU used since {@link #open}, in total and per {@code unit} (a delivery or a connection). */
    void report(Map<String, Object> map, long units, String perUnitName) {
        map.put("generatorCpuMillis", millisBetween(self, ProcStat.cpuMicros(ctx.selfPid)));
        if (!ctx.nodePids.isEmpty()) {
            long now = ProcStat.cpuMicros(ctx.nodePids);
            map.put("nodeCpuMillis", millisBetween(node, now));
            map.put("nodeCpuMicrosPer" + perUnitName, perUnit(node, now, units));
        }
        if (ctx.options.redisPid() > 0) {
            long now = ProcStat.cpuMicros(ctx.options.redisPid());
            map.put("redisCpuMillis", millisBetween(redis, now));
            map.put("redisCpuMicrosPer" + perUnitName, perUnit(redis, now, units));
        }
    }

    static double millisBetween(long before, long after) {
        return before < 0 || after < 0 ? -1 : Stats.round((after - before) / 1000.0, 1);
    }

    static double perUnit(long before, long after, long units) {
        return before < 0 || after < 0 || units <= 0 ? -1 : Stats.round((double) (after - before) / units, 2);
    }
}
