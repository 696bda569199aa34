package io.imcore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchLedgerTest {
    private static final String MSG = "{\"v\":1,\"type\":\"msg\",\"id\":\"x\",\"from\":\"\",\"data\":{},\"ts\":1}";

    @Test
    void p2pCountsDeliveredMissingDuplicatedAndWrongClient() {
        P2pLedger ledger = new P2pLedger(new int[] {0, 1, 2, 1});
        for (int seq = 0; seq < 4; seq++) {
            ledger.sending(seq, 1_000_000L);
        }
        ledger.received(0, 0, MSG, 3_000_000L); // 2 ms
        ledger.received(1, 1, MSG, 2_000_000L);
        ledger.received(1, 1, MSG, 2_000_000L); // again: duplicate
        ledger.received(0, 2, MSG, 2_000_000L); // seq 2 belongs to slot 2: wrong client
        ledger.received(1, 9, MSG, 2_000_000L); // no such message: wrong client
        ledger.received(1, 3, "{\"v\":1,\"type\":\"chan\"}", 2_000_000L); // right client, wrong frame type

        assertThat(ledger.published()).isEqualTo(4);
        assertThat(ledger.delivered()).isEqualTo(2);
        assertThat(ledger.missing()).isEqualTo(2);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.wrongClient()).isEqualTo(3);
        assertThat(ledger.latency().getTotalCount()).isEqualTo(2);
        assertThat(ledger.latency().getMaxValue()).isBetween(1995L, 2005L);
    }

    @Test
    void p2pLostCountsOnlySendsThatReturnedNormally() {
        P2pLedger ledger = new P2pLedger(new int[] {0, 0, 0, 0, 0});
        for (int seq = 0; seq < 4; seq++) {
            ledger.sending(seq, 1_000_000L);
        }
        ledger.failed(1); // threw, never arrived: not lost
        ledger.failed(2); // threw, arrived anyway
        ledger.received(0, 0, MSG, 2_000_000L);
        ledger.received(0, 2, MSG, 2_000_000L);

        assertThat(ledger.missing()).isEqualTo(2);
        assertThat(ledger.lost()).as("seq 3 only; seq 4 was never sent").isEqualTo(1);
        assertThat(ledger.failedButDelivered()).isEqualTo(1);
    }

    @Test
    void fanoutNeedsEveryMemberOnceAndTimesTheLastOne() {
        String chan = "{\"v\":1,\"type\":\"chan\",\"id\":\"x\",\"chan\":\"room\",\"from\":\"\",\"data\":{},\"ts\":1}";
        FanoutLedger ledger = new FanoutLedger(70, 2, "room");
        ledger.sending(0, 0);
        ledger.sending(1, 0);
        for (int slot = 0; slot < 70; slot++) {
            ledger.received(slot, 0, chan, (slot + 1) * 1_000_000L); // the last member at 70 ms
        }
        ledger.received(69, 0, chan, 1); // duplicate of a high bit
        ledger.received(3, 1, chan, 1_000_000L);
        ledger.received(3, 1, chan.replace("room", "hall"), 1); // another channel: wrong
        ledger.received(70, 1, chan, 1); // no such member: wrong

        assertThat(ledger.expected()).isEqualTo(140);
        assertThat(ledger.delivered()).isEqualTo(71);
        assertThat(ledger.missing()).isEqualTo(69);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.wrong()).isEqualTo(2);
        assertThat(ledger.completion().getTotalCount())
                .as("only message 0 reached everyone")
                .isEqualTo(1);
        assertThat(ledger.completion().getMaxValue()).isBetween(69_900L, 70_100L);
    }
}
