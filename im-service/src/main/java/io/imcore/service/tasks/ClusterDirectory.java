package io.imcore.service.tasks;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.ProtocolException;
import io.imcore.service.config.Cluster;
import java.time.Clock;
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
 * Reads the cluster's Redis state (PROTOCOL.md section 4) for the admin tasks, fresh on every call, with the
 * protocol's rule for online: a client is online when its partition node's lease is alive and lists it with a
 * count above 0. Jedis exceptions go to the caller.
 */
public final class ClusterDirectory {
    private final UnifiedJedis redis;
    private final Keys keys;
    private final Cluster cluster;
    private final Clock clock;

    public ClusterDirectory(UnifiedJedis redis, Keys keys, Cluster cluster) {
        this(redis, keys, cluster, Clock.systemUTC());
    }

    ClusterDirectory(UnifiedJedis redis, Keys keys, Cluster cluster, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.cluster = cluster;
        this.clock = clock;
    }

    public Cluster cluster() {
        return cluster;
    }

    public long now() {
        return clock.millis();
    }

    /** Every entry of {@code nodes}; one that does not decode is a lease seen at 0 (dead). */
    public Map<String, NodeLease> leases() {
        Map<String, NodeLease> leases = new LinkedHashMap<>();
        redis.hgetAll(keys.nodes()).forEach((entry, json) -> {
            try {
                leases.put(entry, Codec.decodeLease(json));
            } catch (ProtocolException e) {
                leases.put(entry, new NodeLease(0, 0, 0));
            }
        });
        return leases;
    }

    /** True when {@code lease} is alive now. */
    public boolean isAlive(NodeLease lease) {
        return lease != null && lease.isAlive(now(), cluster.lease().toMillis());
    }

    /** Entries of {@code servers} whose lease is alive, in servers order. */
    public List<String> aliveNodes() {
        Map<String, NodeLease> leases = leases();
        return cluster.servers().entries().stream().filter(entry -> isAlive(leases.get(entry))).toList();
    }

    /** Online clients of the alive nodes among {@code nodes}, sorted by client id. */
    public List<OnlineClient> onlineClients(Collection<String> nodes) {
        List<String> alive = new ArrayList<>(aliveNodes());
        alive.retainAll(nodes);
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
        online.sort((a, b) -> a.clientId().compareTo(b.clientId()));
        return online;
    }

    /** Connections of {@code clientId} on its partition node, 0 when that node is not alive or lists none. */
    public long connections(String clientId) {
        String entry = cluster.servers().entryFor(clientId);
        if (!isAlive(leases().get(entry))) {
            return 0;
        }
        return count(redis.hget(keys.nodeOnline(entry), clientId));
    }

    /** The channels {@code clientId} is a member of, sorted. */
    public List<String> channelsOf(String clientId) {
        return redis.smembers(keys.clientChans(clientId)).stream().sorted().toList();
    }

    /** Every channel with a member, sorted. */
    public List<String> channels() {
        return redis.smembers(keys.chans()).stream().sorted().toList();
    }

    /** Members of each of {@code chans} (clientId → joinedAt ms), in the same order. */
    public List<Map<String, String>> members(List<String> chans) {
        List<Response<Map<String, String>>> answers = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String chan : chans) {
                answers.add(pipeline.hgetAll(keys.chan(chan)));
            }
            pipeline.sync();
        }
        return answers.stream().map(Response::get).toList();
    }

    /** The clients among {@code clientIds} that are online. */
    public Set<String> onlineAmong(Collection<String> clientIds) {
        if (clientIds.isEmpty()) {
            return Set.of();
        }
        Set<String> alive = new HashSet<>(aliveNodes());
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (String clientId : new LinkedHashSet<>(clientIds)) {
            String entry = cluster.servers().entryFor(clientId);
            if (alive.contains(entry)) {
                byNode.computeIfAbsent(entry, e -> new ArrayList<>()).add(clientId);
            }
        }
        List<List<String>> asked = new ArrayList<>(byNode.values());
        List<Response<List<String>>> answers = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            byNode.forEach((entry, ids) -> answers.add(pipeline.hmget(keys.nodeOnline(entry), ids.toArray(String[]::new))));
            pipeline.sync();
        }
        Set<String> online = new HashSet<>();
        for (int n = 0; n < asked.size(); n++) {
            List<String> counts = answers.get(n).get();
            for (int i = 0; i < asked.get(n).size(); i++) {
                if (count(counts.get(i)) > 0) {
                    online.add(asked.get(n).get(i));
                }
            }
        }
        return online;
    }

    /** A count field of an online hash; 0 when absent or not a number. */
    static long count(String value) {
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
    public record OnlineClient(String clientId, String node, long connections) {
    }
}
