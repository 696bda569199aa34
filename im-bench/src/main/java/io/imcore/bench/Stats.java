package io.imcore.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latency helpers: histograms hold microseconds; reports give milliseconds with three decimals. */
final class Stats {
    /** One hour: anything slower is recorded as one hour. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    private Stats() {}

    static long clampMicros(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        return Math.min(micros, HIGHEST_MICROS);
    }

    /** {@code {count, p50, p95, p99, max}} in milliseconds. */
    static Map<String, Object> percentilesMillis(Histogram histogram) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", histogram.getTotalCount());
        if (histogram.getTotalCount() == 0) {
            return map;
        }
        map.put("p50", millis(histogram.getValueAtPercentile(50)));
        map.put("p95", millis(histogram.getValueAtPercentile(95)));
        map.put("p99", millis(histogram.getValueAtPercentile(99)));
        map.put("max", millis(histogram.getMaxValue()));
        return map;
    }

    static double millis(long micros) {
        return Math.round(micros / 1000.0 * 1000) / 1000.0;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
