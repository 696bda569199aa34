package io.imcore.bench;

import java.util.Locale;
import java.util.Map;

/** The human summary of a results map: a few lines, one per phase. */
final class Summary {
    private Summary() {}

    static String of(Map<String, Object> results) {
        StringBuilder out = new StringBuilder();
        Map<?, ?> machine = (Map<?, ?>) results.get("machine");
        Map<?, ?> options = (Map<?, ?>) results.get("options");
        out.append(String.format(
                Locale.ROOT,
                "im-bench %s run %s: %s clients on %s; %s cores, load %s at start, %s at end%n",
                results.get("scenario"),
                results.get("run"),
                options.get("clients"),
                options.get("servers"),
                machine.get("cores"),
                machine.get("loadAverageAtStart"),
                results.get("loadAverageAtEnd")));
        if (results.get("connect") instanceof Map<?, ?> c) {
            out.append(String.format(
                    Locale.ROOT,
                    "  connect  %s/%s connected in %s s (%s/s); handshake %s",
                    c.get("connected"),
                    c.get("clients"),
                    c.get("seconds"),
                    c.get("connectionsPerSecond"),
                    latency(c.get("handshakeMillis"))));
            if (c.containsKey("nodeRssPerConnectionKiB")) {
                out.append(String.format(
                        Locale.ROOT,
                        "; node RSS %s → %s KiB = %s KiB/connection, CPU %s µs/connection",
                        c.get("nodeRssBeforeKiB"),
                        c.get("nodeRssAfterKiB"),
                        c.get("nodeRssPerConnectionKiB"),
                        c.get("nodeCpuMicrosPerConnection")));
            }
            out.append('\n');
        }
        if (results.get("resume") instanceof Map<?, ?> r) {
            if (r.containsKey("skipped")) {
                out.append(String.format(Locale.ROOT, "  resume   skipped: %s%n", r.get("skipped")));
            } else {
                out.append(String.format(
                        Locale.ROOT,
                        "  resume   %s p2p + %s channel msgs (%s deliveries) in %s s to %s terminals; %s drops: "
                                + "resumes ok %s (%s), failed %s, replayed %s; lost %s, duplicated %s, out of "
                                + "order %s; delivery %s%n",
                        r.get("p2pPublished"),
                        r.get("chanPublished"),
                        r.get("chanExpectedDeliveries"),
                        r.get("seconds"),
                        r.get("clients"),
                        r.get("drops"),
                        r.get("resumesOk"),
                        latency(r.get("resumeMillis")),
                        r.get("resumesFailed"),
                        r.get("framesReplayed"),
                        r.get("lost"),
                        r.get("duplicated"),
                        r.get("outOfOrder"),
                        latency(r.get("latencyMillis"))));
            }
            out.append(
                    Boolean.TRUE.equals(results.get("zeroLoss"))
                            ? "  result: zero loss (every message once, in order, across every resume)\n"
                            : "  result: LOSS, DUPLICATES, DISORDER OR FAILED RESUMES (see the JSON line)\n");
            return out.toString();
        }
        phase(out, "p2p", results.get("p2p"));
        phase(out, "fanout", results.get("fanout"));
        if (results.get("churn") instanceof Map<?, ?> c) {
            out.append(String.format(
                    Locale.ROOT,
                    "  churn    %s msgs in %s s to %s terminals: delivered %s, offline "
                            + "receipts %s, lost %s (%s to connected receivers, %s while the sender was away, %s other),"
                            + " duplicated %s; reconnects %s; closes %s%n",
                    c.get("published"),
                    c.get("seconds"),
                    c.get("clients"),
                    c.get("delivered"),
                    c.get("offlineReceipts"),
                    c.get("lost"),
                    c.get("lostToConnectedReceivers"),
                    c.get("lostWhileSenderAway"),
                    c.get("lostOther"),
                    c.get("duplicated"),
                    latency(c.get("reconnectMillis")),
                    c.get("closesByCode")));
            out.append(
                    Boolean.TRUE.equals(results.get("zeroLoss"))
                            ? "  result: nothing lost for a connected receiver\n"
                            : "  result: LOSS FOR CONNECTED RECEIVERS, DUPLICATES OR PUBLISH ERRORS (see the JSON line)\n");
            return out.toString();
        }
        out.append(String.format(
                Locale.ROOT,
                "  other frames %s, unexpected closes %s%s%n",
                results.get("otherFrames"),
                results.get("unexpectedCloses"),
                Boolean.TRUE.equals(results.get("timedOut")) ? ", STOPPED BY --max-duration" : ""));
        out.append(
                Boolean.TRUE.equals(results.get("zeroLoss"))
                        ? "  result: zero loss (every message delivered exactly once to the right client)\n"
                        : "  result: LOSS, DUPLICATES, MISDELIVERY OR FAILED CONNECTIONS (see the JSON line)\n");
        return out.toString();
    }

    private static void phase(StringBuilder out, String name, Object value) {
        if (!(value instanceof Map<?, ?> p)) {
            return;
        }
        if (p.containsKey("skipped")) {
            out.append(String.format(Locale.ROOT, "  %-8s skipped: %s%n", name, p.get("skipped")));
            return;
        }
        if (name.equals("p2p")) {
            out.append(String.format(
                    Locale.ROOT,
                    "  p2p      %s msgs at %s/s (achieved %s/s, delivered %s/s): delivered %s, missing %s, "
                            + "duplicated %s, wrong client %s; latency %s",
                    p.get("published"),
                    p.get("targetRate"),
                    p.get("achievedRate"),
                    p.get("deliveredRate"),
                    p.get("delivered"),
                    p.get("missing"),
                    p.get("duplicated"),
                    p.get("wrongClient"),
                    latency(p.get("latencyMillis"))));
        } else {
            out.append(String.format(
                    Locale.ROOT,
                    "  fanout   %s msgs × %s members at %s/s: delivered %s of %s, missing %s, "
                            + "duplicated %s, wrong %s; per delivery %s; to every member %s",
                    p.get("published"),
                    p.get("members"),
                    p.get("rate"),
                    p.get("delivered"),
                    p.get("expectedDeliveries"),
                    p.get("missing"),
                    p.get("duplicated"),
                    p.get("wrongClient"),
                    latency(p.get("latencyMillis")),
                    latency(p.get("reachEveryMemberMillis"))));
        }
        if (p.containsKey("nodeCpuMicrosPerDelivery")) {
            out.append(String.format(Locale.ROOT, "; node CPU %s µs/delivery", p.get("nodeCpuMicrosPerDelivery")));
        }
        if (p.containsKey("redisCpuMicrosPerDelivery")) {
            out.append(String.format(Locale.ROOT, " (redis %s)", p.get("redisCpuMicrosPerDelivery")));
        }
        out.append('\n');
    }

    private static String latency(Object value) {
        if (!(value instanceof Map<?, ?> l) || !l.containsKey("p50")) {
            return "n/a";
        }
        return String.format(
                Locale.ROOT,
                "p50 %s / p95 %s / p99 %s / max %s ms",
                l.get("p50"),
                l.get("p95"),
                l.get("p99"),
                l.get("max"));
    }
}
