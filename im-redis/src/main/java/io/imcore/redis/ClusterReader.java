package io.imcore.redis;

import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Servers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads who is online as PROTOCOL.md section 4 defines it, fresh from Redis on every call: a client is online
 * when a node that is alive (its {@code <P>nodes} lease was refreshed within the lease) and allowed (in the
 * allow-list, when there is one) lists it in {@code <P>node:<entry>:online} with a count above 0. A client is
 * usually on its home node, but may be on another one for a moment while it moves, so every alive node is asked. The one reading of the cluster that {@code ImClient} and
 * the node's admin tasks share. Thread-safe; Jedis exceptions go to the caller.
 *
 * <pre>{@code
 * ClusterReader cluster = new ClusterReader(redis, keys, null, Duration.ofSeconds(6));
 * boolean online = cluster.connections("42") > 0;
 * }</pre>
 */
public final class ClusterReader {
    private final UnifiedJedis redis;
    private final Keys keys;
    private final Servers servers;
    private final long leaseMillis;
    private final Clock clock;

    /** A reader on the system clock. */
    public ClusterReader(UnifiedJedis redis, Keys keys, Servers servers, Duration lease) {
        this(redis, keys, servers, lease, Clock.systemUTC());
    }

    /**
     * @param servers the allow-list, or null for none: any node with an alive lease counts
     * @param lease   a node whose lease is older is dead
     * @param clock   what "now" is
     */
    public ClusterReader(UnifiedJedis redis, Keys keys, Servers servers, Duration lease, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.servers = servers;
        this.leaseMillis = lease.toMillis();
        this.clock = clock;
    }

    /** Now, epoch ms, on this reader's clock. */
    public long now() {
        return clock.millis();
    }

    /** Every entry of {@code nodes} (see {@link NodeLeases#read}). */
    public Map<String, NodeLease> leases() {
        return NodeLeases.read(redis, keys);
    }

    /** True when {@code lease} is not null and alive now. */
    public boolean isAlive(NodeLease lease) {
        return lease != null && lease.isAlive(now(), leaseMillis);
    }

    /** The allowed entries of {@code nodes} whose lease is alive now, sorted. */
    public List<String> aliveNodes() {
        return leases().entrySet().stream()
                .filter(e -> (servers == null || servers.contains(e.getKey())) && isAlive(e.getValue()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** The clients listed with a count above 0 by the alive nodes among {@code nodes}, node by node. */
    public List<OnlineClient> onlineClients(Collection<String> nodes) {
        List<String> alive = new ArrayList<>(aliveNodes());
        alive.retainAll(nodes);
        if (alive.isEmpty()) {
            return List.of();
        }
        List<Response<Map<String, String>>> hashes = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String entry : alive) {
                hashes.add(pipeline.hgetAll(keys.nodeOnline(entry)));
            }
            pipeline.sync();
        }
        List<OnlineClient> online = new ArrayList<>();
        for (int i = 0; i < alive.size(); i++) {
            String entry = alive.get(i);
            hashes.get(i).get().forEach((clientId, count) -> {
                long connections = count(count);
                if (connections > 0) {
                    online.add(new OnlineClient(clientId, entry, connections));
                }
            });
        }
        return online;
    }

    /** Every client online now. */
    public Set<String> allOnline() {
        Set<String> online = new LinkedHashSet<>();
        onlineClients(aliveNodes()).forEach(client -> online.add(client.clientId()));
        return online;
    }

    /** The clients of {@code clientIds} that are online: one HMGET per alive node, pipelined. */
    public Set<String> onlineAmong(Collection<String> clientIds) {
        if (clientIds.isEmpty()) {
            return Set.of();
        }
        List<String> alive = aliveNodes();
        if (alive.isEmpty()) {
            return Set.of();
        }
        String[] ids = new LinkedHashSet<>(clientIds).toArray(String[]::new);
        List<Response<List<String>>> answers = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            alive.forEach(entry -> answers.add(pipeline.hmget(keys.nodeOnline(entry), ids)));
            pipeline.sync();
        }
        Set<String> online = new HashSet<>();
        for (Response<List<String>> answer : answers) {
            List<String> counts = answer.get();
            for (int i = 0; i < ids.length; i++) {
                if (count(counts.get(i)) > 0) {
                    online.add(ids[i]);
                }
            }
        }
        return online;
    }

    /** The live connections of {@code clientId} on every alive node: one HGET per alive node, pipelined. */
    public long connections(String clientId) {
        return connectionsByNode(clientId).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** The alive nodes that list {@code clientId} with a count above 0, with that count. */
    public Map<String, Long> connectionsByNode(String clientId) {
        List<String> alive = aliveNodes();
        Map<String, Response<String>> counts = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            alive.forEach(entry -> counts.put(entry, pipeline.hget(keys.nodeOnline(entry), clientId)));
            pipeline.sync();
        }
        Map<String, Long> byNode = new LinkedHashMap<>();
        counts.forEach((entry, count) -> {
            long n = count(count.get());
            if (n > 0) {
                byNode.put(entry, n);
            }
        });
        return byNode;
    }

    /** A count field of an online hash; 0 when absent or not a number. */
    public static long count(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A client listed online by an alive node.
     *
     * @param clientId    the client
     * @param node        the node's entry
     * @param connections its live connections there
     */
    public record OnlineClient(String clientId, String node, long connections) {}
}
