package io.imcore.redis;

import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The live membership as this process sees it (PROTOCOL.md section 4), shared by the nodes and {@code ImClient}:
 * the entries of {@code <P>nodes} whose lease is alive, that are in the allow-list when there is one, and that
 * are not leaving. A node feeds it from its lease keeper's read ({@link #update}); {@code ImClient} calls
 * {@link #fresh()}, which reads {@code <P>nodes} again when the last read is older than the refresh interval, so
 * it needs no thread of its own. Members whose lease names another routing rule or allow-list are reported as
 * conflicts (logged at ERROR once per change): a node compares every member's allow-list with its own; a business
 * process without an allow-list of its own only checks that the members agree with each other (it routes to
 * whatever members they are). Thread-safe.
 */
public final class MembershipView {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipView.class);

    private final UnifiedJedis redis;
    private final Keys keys;
    private final Set<String> allowList;
    private final String allowHash;
    private final long leaseMillis;
    private final long refreshMillis;
    private final Clock clock;
    private final boolean ownAllowListRequired;
    private volatile Membership current = Membership.EMPTY;

    /**
     * @param allowList entries that may be members; empty: any node with an alive lease
     * @param lease     a lease older than this is dead
     * @param refresh   {@link #fresh()} reads again when the last read is older than this
     */
    public MembershipView(
            UnifiedJedis redis,
            Keys keys,
            Collection<String> allowList,
            Duration lease,
            Duration refresh,
            Clock clock) {
        this(redis, keys, allowList, lease, refresh, clock, true);
    }

    /**
     * @param ownAllowListRequired true (a node): every member must have this view's allow-list, even an empty one;
     *                             false (a business process): with an empty allow-list of its own, the members
     *                             only need to agree with each other
     */
    public MembershipView(
            UnifiedJedis redis,
            Keys keys,
            Collection<String> allowList,
            Duration lease,
            Duration refresh,
            Clock clock,
            boolean ownAllowListRequired) {
        this.ownAllowListRequired = ownAllowListRequired;
        this.redis = redis;
        this.keys = keys;
        this.allowList = Set.copyOf(allowList);
        this.allowHash = allowHash(allowList);
        this.leaseMillis = lease.toMillis();
        this.refreshMillis = refresh.toMillis();
        this.clock = clock;
    }

    /**
     * The lease field {@code allow}: hex SHA-256 of the allow-list's entries sorted by code point and joined
     * with {@code \n}; "" without an allow-list.
     */
    public static String allowHash(Collection<String> allowList) {
        if (allowList.isEmpty()) {
            return "";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(String.join("\n", new TreeSet<>(allowList)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** This reader's {@code allow} value. */
    public String allowHash() {
        return allowHash;
    }

    /** The allow-list; empty when any node may be a member. */
    public Set<String> allowList() {
        return allowList;
    }

    /** The last reading, without touching Redis. */
    public Membership current() {
        return current;
    }

    /**
     * The last reading, read again first when it is older than the refresh interval. Between readings a member
     * whose lease has expired since is dropped at once (no Redis call): routing never outlives a lease, so
     * nothing is sent to a dead node's inbox after the sweep of PROTOCOL.md section 4 may have answered it.
     * Redis errors propagate.
     */
    public Membership fresh() {
        Membership last = current;
        long now = clock.millis();
        if (last.readAt() == 0 || now - last.readAt() >= refreshMillis) {
            return refresh();
        }
        return withoutExpired(last, now);
    }

    /** The last reading without Redis, minus any member whose lease has expired since it was read. */
    public Membership currentNow() {
        return withoutExpired(current, clock.millis());
    }

    private Membership withoutExpired(Membership last, long now) {
        for (String member : last.members()) {
            if (!last.leases().get(member).isAlive(now, leaseMillis)) {
                return reevaluate(last, now);
            }
        }
        return last;
    }

    private synchronized Membership reevaluate(Membership last, long now) {
        return current == last ? update(last.leases(), now, last.readAt()) : current;
    }

    /** Reads {@code <P>nodes} now. */
    public synchronized Membership refresh() {
        Map<String, NodeLease> leases = NodeLeases.read(redis, keys);
        return update(leases, clock.millis());
    }

    /** Makes {@code leases}, read at {@code readAt}, the current reading. */
    public synchronized Membership update(Map<String, NodeLease> leases, long readAt) {
        return update(leases, readAt, readAt);
    }

    /** {@code leases} read at {@code readAt}, judged alive or not at {@code now}. */
    private Membership update(Map<String, NodeLease> leases, long now, long readAt) {
        List<String> members = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        String expectedAllow = expectedAllow(leases, now);
        new TreeMap<>(leases).forEach((entry, lease) -> {
            if (!lease.isAlive(now, leaseMillis) || (!allowList.isEmpty() && !allowList.contains(entry))) {
                return;
            }
            if (!lease.leaving()) {
                members.add(entry);
            }
            if (!Rendezvous.NAME.equals(lease.routing())) {
                conflicts.add(
                        entry + " routes by '" + lease.routing() + "', this process by '" + Rendezvous.NAME + "'");
            } else if (!expectedAllow.equals(lease.allow())) {
                conflicts.add(entry + " has another cluster.servers allow-list (allow " + abbreviate(lease.allow())
                        + ", expected " + abbreviate(expectedAllow) + ")");
            }
        });
        members.sort(null);
        Membership next = new Membership(members, leases, readAt, conflicts);
        Membership previous = current;
        current = next;
        if (!conflicts.isEmpty() && !conflicts.equals(previous.conflicts())) {
            LOG.error("membership conflicts, clients may be routed to a node that refuses them: {}", conflicts);
        }
        if (!members.equals(previous.members()) && previous.readAt() != 0) {
            LOG.info("members changed: {} -> {}", previous.members(), members);
        }
        return next;
    }

    /** This view's allow value, or, for a business process without one, the first alive member's. */
    private String expectedAllow(Map<String, NodeLease> leases, long readAt) {
        if (ownAllowListRequired || !allowList.isEmpty()) {
            return allowHash;
        }
        return new TreeMap<>(leases)
                .values().stream()
                        .filter(lease -> lease.isAlive(readAt, leaseMillis) && lease.allow() != null)
                        .map(NodeLease::allow)
                        .findFirst()
                        .orElse(allowHash);
    }

    private static String abbreviate(String hash) {
        if (hash == null) {
            return "none";
        }
        return hash.isEmpty() ? "empty" : hash.substring(0, Math.min(12, hash.length()));
    }
}
