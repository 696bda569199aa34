package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchProcStatTest {
    @Test
    void parsesUtimeAndStimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 40 0 100 "
                + "9000000000 50000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcStat.parseCpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void parsesVmRss() {
        assertThat(ProcStat.parseRssBytes("Name:\tjava\nVmPeak:\t 100 kB\nVmRSS:\t  2048 kB\nThreads:\t9\n"))
                .isEqualTo(2048 * 1024);
    }

    @Test
    void readsThisProcess() {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcStat.cpuMicros(pid)).isPositive();
        assertThat(ProcStat.rssBytes(pid)).isGreaterThan(1024 * 1024);
        assertThat(ProcStat.cpuMicros(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
