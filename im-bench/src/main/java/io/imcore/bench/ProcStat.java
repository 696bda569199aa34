package io.imcore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a process's CPU time and resident memory from {@code /proc} (Linux). CPU time is utime + stime of
 * {@code /proc/<pid>/stat} (fields 14 and 15, in clock ticks of 10 ms on Linux), so it includes the
 * kernel's work on the process's behalf, such as the loopback TCP stack of its writes.
 */
final class ProcStat {
    /** USER_HZ; 100 on every Linux architecture the JVM runs on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /** CPU time (user + system) of {@code pid} in microseconds, or -1 when it cannot be read. */
    static long cpuMicros(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
                    * (1_000_000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The summed CPU time of {@code pids} in microseconds, or -1 when any cannot be read. */
    static long cpuMicros(List<Long> pids) {
        return sum(cpuMicrosEach(pids));
    }

    /** The CPU time of each of {@code pids} in microseconds, -1 for one that cannot be read. */
    static long[] cpuMicrosEach(List<Long> pids) {
        long[] cpu = new long[pids.size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = cpuMicros(pids.get(i));
        }
        return cpu;
    }

    /** The sum of CPU times read by {@link #cpuMicrosEach}, or -1 when any could not be read. */
    static long sum(long[] cpuMicros) {
        long sum = 0;
        for (long cpu : cpuMicros) {
            if (cpu < 0) {
                return -1;
            }
            sum += cpu;
        }
        return sum;
    }

    /** VmRSS of {@code pid} in bytes, or -1 when it cannot be read. */
    static long rssBytes(long pid) {
        try {
            return parseRssBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The summed VmRSS of {@code pids} in bytes, or -1 when any cannot be read. */
    static long rssBytes(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long rss = rssBytes(pid);
            if (rss < 0) {
                return -1;
            }
            sum += rss;
        }
        return sum;
    }

    /** utime + stime in ticks from the text of {@code /proc/<pid>/stat}. */
    static long parseCpuTicks(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so field 14 (utime) is fields[11] and field 15 (stime) fields[12].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** VmRSS in bytes from the text of {@code /proc/<pid>/status}. */
    static long parseRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IllegalArgumentException("no VmRSS line");
    }

    /** Whether {@code /proc/<pid>/stat} can be read. */
    static boolean readable(long pid) {
        return cpuMicros(pid) >= 0;
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
