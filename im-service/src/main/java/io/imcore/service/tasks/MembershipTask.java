package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.redis.Membership;
import io.imcore.redis.Streams;
import io.imcore.service.config.Cluster;
import io.imcore.service.metrics.Shares;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * {@code membership}: the members as this node sees them (its last reading of {@code nodes}, every
 * {@code cluster.refreshInterval}), each with its share of clients (of 10,000 sampled ids), lease age, and
 * whether it leaves; the conflicts (configuration drift); the last changes of the {@code members} feed (read
 * from Redis now).
 */
public final class MembershipTask extends AdminTask<MembershipTask.Answer> {
    private static final int RECENT = 10;

    private final Cluster cluster;
    private final UnifiedJedis redis;
    private final Keys keys;

    public MembershipTask(
            Cluster cluster, UnifiedJedis redis, Keys keys, ObjectMapper mapper, Runnable onRedisFailure) {
        super("membership", Set.of(), mapper, onRedisFailure);
        this.cluster = cluster;
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    protected Answer run(TaskParams params) {
        Membership membership = cluster.membership();
        Map<String, Double> shares = Shares.of(membership);
        long now = System.currentTimeMillis();
        List<Member> members = new ArrayList<>();
        membership.leases().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    NodeLease lease = e.getValue();
                    String state = membership.isMember(e.getKey())
                            ? "member"
                            : !lease.isAlive(now, cluster.lease().toMillis())
                                    ? "dead"
                                    : lease.leaving() ? "leaving" : "not allowed";
                    members.add(new Member(
                            e.getKey(),
                            e.getKey().equals(cluster.self()),
                            state,
                            shares.getOrDefault(e.getKey(), 0.0),
                            now - lease.seenAt(),
                            lease.connections()));
                });
        List<String> recent = new ArrayList<>();
        for (StreamEntry entry : redis.xrevrange(keys.members(), "+", "-", RECENT)) {
            recent.add(entry.getID() + " " + entry.getFields().get(Streams.FIELD));
        }
        return new Answer(
                cluster.self(),
                membership.members(),
                now - membership.readAt(),
                members,
                membership.conflicts(),
                recent);
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf(
                "members: %s (this node: %s, read %d ms ago)%n", answer.members(), answer.self(), answer.readAgoMs());
        for (Member member : answer.nodes()) {
            out.printf(
                    "%s\t%s\tshare %.3f\tseen %d ms ago\t%d connection(s)%s%n",
                    member.entry(),
                    member.state(),
                    member.share(),
                    member.seenAgoMs(),
                    member.connections(),
                    member.self() ? "\t(self)" : "");
        }
        answer.conflicts().forEach(conflict -> out.printf("conflict: %s%n", conflict));
        answer.recentChanges().forEach(change -> out.printf("change: %s%n", change));
    }

    /**
     * @param self          this node
     * @param members       the members, sorted
     * @param readAgoMs     age of this node's reading
     * @param nodes         every entry of {@code nodes} with its state
     * @param conflicts     configuration drift found
     * @param recentChanges the last entries of the {@code members} feed, newest first
     */
    public record Answer(
            String self,
            List<String> members,
            long readAgoMs,
            List<Member> nodes,
            List<String> conflicts,
            List<String> recentChanges) {}

    /**
     * @param entry       the node's entry
     * @param self        true for this node
     * @param state       {@code member}, {@code leaving}, {@code dead} or {@code not allowed}
     * @param share       fraction of sampled client ids whose home it is
     * @param seenAgoMs   age of its lease
     * @param connections connections it wrote in its lease
     */
    public record Member(String entry, boolean self, String state, double share, long seenAgoMs, long connections) {}
}
