package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchFrameScanTest {
    private final FrameScan scan = new FrameScan("run1");

    @Test
    void readsPhaseAndSeqOfThisRunsFrames() {
        String frame = "{\"v\":1,\"type\":\"msg\",\"id\":\"abc\",\"from\":\"\",\"data\":"
                + FrameScan.dataJson("run1", 3, 123456789L, "xx") + ",\"ts\":17}";

        long mark = scan.scan(frame);

        assertThat(FrameScan.phaseOf(mark)).isEqualTo(3);
        assertThat(FrameScan.seqOf(mark)).isEqualTo(123456789L);
        assertThat(FrameScan.typeOf(frame)).isEqualTo("msg");
    }

    @Test
    void ignoresOtherRunsAndOtherFrames() {
        assertThat(scan.scan("{\"v\":1,\"type\":\"msg\",\"data\":" + FrameScan.dataJson("run2", 1, 1, "") + "}"))
                .isEqualTo(FrameScan.NOT_OURS);
        assertThat(scan.scan("{\"v\":1,\"type\":\"pong\",\"ts\":1}")).isEqualTo(FrameScan.NOT_OURS);
        assertThat(scan.scan("{\"v\":1,\"type\":\"msg\",\"data\":{\"b\":\"run1\",\"p\":x}}"))
                .isEqualTo(FrameScan.NOT_OURS);
        assertThat(scan.scan("{\"v\":1,\"type\":\"msg\",\"data\":{\"b\":\"run1\",\"p\":1,\"s\":}}"))
                .isEqualTo(FrameScan.NOT_OURS);
    }
}
