package io.imcore.service.tasks;

import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.redis.ClusterReader;
import io.imcore.redis.ClusterReader.OnlineClient;
import io.imcore.service.config.Cluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the cluster's Redis state (PROTOCOL.md section 4) for the admin tasks, fresh on every call: leases and
 * online state through the {@link ClusterReader} that {@code ImClient} uses too, channels here. Jedis exceptions
 * go to the caller.
 */
public final class ClusterDirectory {
    private final UnifiedJedis redis;
    private final Keys keys;
    private final Cluster cluster;
    private final ClusterReader reader;

    public ClusterDirectory(UnifiedJedis redis, Keys keys, Cluster cluster) {
        this(redis, keys, cluster, Clock.systemUTC());
    }

    ClusterDirectory(UnifiedJedis redis, Keys keys, Cluster cluster, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.cluster = cluster;
        this.reader = new ClusterReader(redis, keys, cluster.servers(), cluster.lease(), clock);
    }

    public Cluster cluster() {
        return cluster;
    }

    public long now() {
        return reader.now();
    }

    /** Every entry of {@code nodes}; one that does not decode is a lease seen at 0 (dead). */
    public Map<String, NodeLease> leases() {
        return reader.leases();
    }

    /** True when {@code lease} is alive now. */
    public boolean isAlive(NodeLease lease) {
        return reader.isAlive(lease);
    }

    /** Allowed entries of {@code nodes} whose lease is alive, sorted. */
    public List<String> aliveNodes() {
        return reader.aliveNodes();
    }

    /** Online clients of the alive nodes among {@code nodes}, sorted by client id. */
    public List<OnlineClient> onlineClients(Collection<String> nodes) {
        List<OnlineClient> online = new ArrayList<>(reader.onlineClients(nodes));
        online.sort(Comparator.comparing(OnlineClient::clientId));
        return online;
    }

    /** Connections of {@code clientId} on every alive node. */
    public long connections(String clientId) {
        return reader.connections(clientId);
    }

    /** The clients among {@code clientIds} that are online. */
    public Set<String> onlineAmong(Collection<String> clientIds) {
        return reader.onlineAmong(clientIds);
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
}
