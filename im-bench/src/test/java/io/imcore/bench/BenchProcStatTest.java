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

    @Test
    void sumsSeveralProcessesAndKnowsWhenOneCannotBeRead() {
        assertThat(ProcStat.sum(new long[] {3, 4})).isEqualTo(7);
        assertThat(ProcStat.sum(new long[] {3, -1})).isEqualTo(-1);
        long pid = ProcessHandle.current().pid();
        long[] each = ProcStat.cpuMicrosEach(java.util.List.of(pid, Long.MAX_VALUE));
        assertThat(each[0]).isPositive();
        assertThat(each[1]).isEqualTo(-1);
        assertThat(ProcStat.cpuMicros(java.util.List.of(pid, Long.MAX_VALUE))).isEqualTo(-1);
    }
}
