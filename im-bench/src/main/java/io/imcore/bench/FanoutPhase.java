package io.imcore.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every connected terminal joins one channel ({@code ImClient.joinChan}); then channel messages
 * ({@code ImClient.sendChanMessage}) at {@code --fanout-rate}, each of which must reach every member.
 */
final class FanoutPhase {
    private final RunContext ctx;
    private final String chan;
    private final LongAdder joinErrors = new LongAdder();
    private final AtomicReference<String> firstJoinError = new AtomicReference<>();

    FanoutPhase(RunContext ctx) {
        this.ctx = ctx;
        this.chan = "bench-" + ctx.run;
    }

    /** Every open terminal joins the channel; the joins are done (published) when this returns. */
    void join() throws InterruptedException {
        List<Terminal> members = ctx.live().stream().filter(Terminal::isOpen).toList();
        ctx.progress("fanout: %d clients join %s", members.size(), chan);
        ExecutorService joiners =
                Executors.newFixedThreadPool(Math.max(1, ctx.options.publishers()), RunContext.daemon("bench-join"));
        for (Terminal member : members) {
            joiners.execute(() -> {
                try {
                    ctx.im().joinChan(member.clientId(), chan);
                } catch (RuntimeException e) {
                    joinErrors.increment();
                    firstJoinError.compareAndSet(null, e.toString());
                }
            });
        }
        joiners.shutdown();
        joiners.awaitTermination(ctx.millisLeft(), TimeUnit.MILLISECONDS);
    }

    /** Sends {@code messages} channel messages marked with {@code phase} and accounts for every delivery. */
    Map<String, Object> run(int phase, int messages, String name) throws InterruptedException {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Terminal> live = ctx.live();
        List<Terminal> members = live.stream().filter(Terminal::isOpen).toList();
        if (members.isEmpty()) {
            map.put("skipped", "no connected terminal");
            return map;
        }
        // Every connected terminal is a member (slots are positions among them); one that closed counts missing.
        FanoutLedger ledger = new FanoutLedger(live.size(), messages, chan);
        ctx.router.register(phase, ledger);
        ctx.progress(
                "%s: %d messages to %d members at %s msg/s", name, messages, members.size(), ctx.options.fanoutRate());
        CpuWindow cpu = CpuWindow.open(ctx);
        long start = System.nanoTime() + 10_000_000L;
        double interval = 1e9 / ctx.options.fanoutRate();
        LongAdder publishErrors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        for (int seq = 0; seq < messages && !ctx.expired(); seq++) {
            long now = RunContext.waitUntil(start + (long) (seq * interval));
            ledger.sending(seq, now);
            try {
                ctx.im().sendChanMessage("", chan, ctx.data(phase, seq));
            } catch (RuntimeException e) {
                publishErrors.increment();
                firstError.compareAndSet(null, e.toString());
            }
        }
        ctx.drain(() -> ledger.delivered() + ledger.duplicates() >= ledger.expected());
        long end = System.nanoTime();
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
        map.put("rate", ctx.options.fanoutRate());
        map.put("expectedDeliveries", ledger.expected());
        map.put("delivered", ledger.delivered());
        map.put("missing", ledger.missing());
        map.put("duplicated", ledger.duplicates());
        map.put("wrongClient", ledger.wrong());
        map.put("seconds", Stats.round((end - start) / 1e9, 3));
        map.put("latencyMillis", Stats.percentilesMillis(ledger.latency()));
        map.put("reachEveryMemberMillis", Stats.percentilesMillis(ledger.completion()));
        cpu.report(map, ledger.delivered(), "Delivery");
        ctx.progress(
                "%s: delivered %d of %d, missing %d, duplicated %d, wrong %d",
                name, ledger.delivered(), ledger.expected(), ledger.missing(), ledger.duplicates(), ledger.wrong());
        return map;
    }
}
