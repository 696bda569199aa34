package io.imcore.service.metrics;

import io.imcore.redis.Membership;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The partition share of each member: the fraction of {@link #SAMPLE} sample client ids ({@code "0"} …
 * {@code "9999"}) whose home it is. Computed once per membership, then cached.
 */
public final class Shares {
    /** Number of sampled ids. */
    public static final int SAMPLE = 10_000;

    private static volatile Cached cached = new Cached(null, Map.of());

    private Shares() {}

    /** Member → share, in member order; empty without members. */
    public static Map<String, Double> of(Membership membership) {
        Cached last = cached;
        if (last.membership() != null && last.membership().members().equals(membership.members())) {
            return last.shares();
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        if (!membership.members().isEmpty()) {
            membership.members().forEach(member -> shares.put(member, 0.0));
            for (int i = 0; i < SAMPLE; i++) {
                shares.merge(membership.home(Integer.toString(i)), 1.0 / SAMPLE, Double::sum);
            }
        }
        Map<String, Double> result = Map.copyOf(shares);
        cached = new Cached(membership, result);
        return result;
    }

    private record Cached(Membership membership, Map<String, Double> shares) {}
}
