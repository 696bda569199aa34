package io.imcore.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CPU time of the nodes, Redis and the generator itself around one phase, from {@code /proc}. */
final class CpuWindow {
    private final RunContext ctx;
    private final long node;
    private final long[] redis;
    private final long self;

    private CpuWindow(RunContext ctx) {
        this.ctx = ctx;
        this.node = ProcStat.cpuMicros(ctx.nodePids);
        this.redis = ProcStat.cpuMicrosEach(ctx.options.redisPids());
        this.self = ProcStat.cpuMicros(ctx.selfPid);
    }

    static CpuWindow open(RunContext ctx) {
        return new CpuWindow(ctx);
    }

    /**
     * Puts the CPU used since {@link #open}, in total and per {@code unit} (a delivery or a connection). With
     * several Redis pids (the masters of a cluster) their sum, and each one's share under {@code redisCpuMillisByPid}.
     */
    void report(Map<String, Object> map, long units, String perUnitName) {
        map.put("generatorCpuMillis", millisBetween(self, ProcStat.cpuMicros(ctx.selfPid)));
        if (!ctx.nodePids.isEmpty()) {
            long now = ProcStat.cpuMicros(ctx.nodePids);
            map.put("nodeCpuMillis", millisBetween(node, now));
            map.put("nodeCpuMicrosPer" + perUnitName, perUnit(node, now, units));
        }
        List<Long> redisPids = ctx.options.redisPids();
        if (!redisPids.isEmpty()) {
            long[] now = ProcStat.cpuMicrosEach(redisPids);
            long before = ProcStat.sum(redis);
            long after = ProcStat.sum(now);
            map.put("redisCpuMillis", millisBetween(before, after));
            map.put("redisCpuMicrosPer" + perUnitName, perUnit(before, after, units));
            if (redisPids.size() > 1) {
                Map<String, Object> byPid = new LinkedHashMap<>();
                for (int i = 0; i < redisPids.size(); i++) {
                    byPid.put(Long.toString(redisPids.get(i)), millisBetween(redis[i], now[i]));
                }
                map.put("redisCpuMillisByPid", byPid);
            }
        }
    }

    static double millisBetween(long before, long after) {
        return before < 0 || after < 0 ? -1 : Stats.round((after - before) / 1000.0, 1);
    }

    static double perUnit(long before, long after, long units) {
        return before < 0 || after < 0 || units <= 0 ? -1 : Stats.round((double) (after - before) / units, 2);
    }
}
