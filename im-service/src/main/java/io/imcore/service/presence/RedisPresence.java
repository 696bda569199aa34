package io.imcore.service.presence;

import com.codahale.metrics.Counter;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.redis.ClusterReader;
import io.imcore.redis.MembersFeed;
import io.imcore.redis.Memberships;
import io.imcore.redis.NodeLeases;
import io.imcore.redis.ReplicaAck;
import io.imcore.redis.Scripts;
import io.imcore.redis.Streams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** The Redis state of PROTOCOL.md section 4 as this node reads and writes it. */
public final class RedisPresence implements Presence {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
    private static final long SWEEP_CLAIM_SECONDS = 60;

    private final UnifiedJedis redis;
    private final Keys keys;
    private final String self;
    private final long maxLen;
    private final ReplicaAck replicaAck;
    private final Counter unacknowledged;

    /** @param maxLen the retention of the streams it appends to ({@code MAXLEN ~}) */
    public RedisPresence(UnifiedJedis redis, Keys keys, String self, long maxLen) {
        this(redis, keys, self, maxLen, ReplicaAck.OFF, new Counter());
    }

    /**
     * @param replicaAck     the {@code WAIT} after its {@code XADD}s (events, the sweeper's forwarded entries)
     * @param unacknowledged counts the writes that {@code replicaAck} saw not acknowledged in time
     */
    public RedisPresence(
            UnifiedJedis redis, Keys keys, String self, long maxLen, ReplicaAck replicaAck, Counter unacknowledged) {
        this.redis = redis;
        this.keys = keys;
        this.self = self;
        this.maxLen = maxLen;
        this.replicaAck = replicaAck;
        this.unacknowledged = unacknowledged;
    }

    /** Records how many connections {@code clientId} has on this node. */
    public void setConnections(String clientId, int count) {
        redis.hset(keys.nodeOnline(self), clientId, Integer.toString(count));
    }

    /** Removes {@code clientId} from this node's online hash. */
    public void removeClient(String clientId) {
        redis.hdel(keys.nodeOnline(self), clientId);
    }

    /** The channels {@code clientId} is a member of. */
    public Set<String> channelsOf(String clientId) {
        return redis.smembers(keys.clientChans(clientId));
    }

    /**
     * {@code HSET} of the online count and {@code SMEMBERS} of the client's channels in one pipeline: one pooled
     * connection and one round trip for a first connection instead of two of each (a connect storm ran the pool
     * dry).
     */
    @Override
    public Set<String> setConnectionsAndReadChannels(String clientId, int count) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<Long> written = pipeline.hset(keys.nodeOnline(self), clientId, Integer.toString(count));
            Response<Set<String>> chans = pipeline.smembers(keys.clientChans(clientId));
            pipeline.sync();
            written.get(); // a failed write throws here, before the channels are used, as it did unpipelined
            return chans.get();
        }
    }

    /** Removes {@code clientId} from every channel it is a member of. */
    public void leaveAllChannels(String clientId) {
        Memberships.leaveAll(redis, keys, clientId);
    }

    /** Publishes an online or offline event: {@code XADD <P>events MAXLEN ~ maxLen * e <json>}. */
    @Override
    public void publish(PresenceEvent event) {
        if (!replicaAck.xadd(redis, keys.events(), Streams.addParams(maxLen), Streams.entry(Codec.encode(event)))) {
            unacknowledged.inc();
            LOG.warn(
                    "{} event of {} not acknowledged by the replicas within {}",
                    event.type(),
                    event.clientId(),
                    replicaAck);
        }
    }

    @Override
    public List<InboxEntry> readInbox(String entry, String afterId, int count) {
        String start = afterId.isEmpty() ? "-" : "(" + afterId;
        return redis.xrange(keys.inbox(entry), start, "+", count).stream()
                .map(e -> new InboxEntry(e.getID().toString(), e.getFields().get(Streams.FIELD)))
                .toList();
    }

    @Override
    public void trimInbox(String entry, String throughId) {
        redis.xtrim(keys.inbox(entry), Streams.trimThrough(new StreamEntryID(throughId)));
    }

    @Override
    public void sendToInboxes(List<Map.Entry<String, String>> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<Response<StreamEntryID>> answers = new ArrayList<>();
            Set<String> streams = new LinkedHashSet<>();
            for (Map.Entry<String, String> envelope : envelopes) {
                String stream = keys.inbox(envelope.getKey());
                streams.add(stream);
                answers.add(pipeline.xadd(stream, Streams.addParams(maxLen), Streams.entry(envelope.getValue())));
            }
            List<Response<Long>> acked = replicaAck.append(pipeline, streams, redis instanceof RedisClusterClient);
            pipeline.sync();
            answers.forEach(Response::get);
            if (!replicaAck.allSatisfied(acked)) {
                unacknowledged.inc();
                LOG.warn(
                        "{} envelopes to inboxes not acknowledged by the replicas within {}",
                        envelopes.size(),
                        replicaAck);
            }
        }
    }

    /** Writes this node's entry in {@code nodes}. */
    public void refreshLease(NodeLease lease) {
        redis.hset(keys.nodes(), self, Codec.encode(lease));
    }

    /** Every entry of {@code nodes}; an entry that does not decode counts as a lease seen at time 0 (dead). */
    public Map<String, NodeLease> leases() {
        return NodeLeases.read(redis, keys);
    }

    /** Clients listed in a node's online hash. */
    public Set<String> onlineClientsOf(String entry) {
        return redis.hkeys(keys.nodeOnline(entry));
    }

    /** True when this node wins the right to sweep {@code entry}'s state. */
    public boolean claimSweep(String entry) {
        return "OK"
                .equals(redis.set(
                        keys.sweep(entry), self, SetParams.setParams().nx().ex(SWEEP_CLAIM_SECONDS)));
    }

    /** Removes a node's online hash and {@code nodes} entry. */
    public void removeNode(String entry) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.del(keys.nodeOnline(entry));
            pipeline.hdel(keys.nodes(), entry);
            pipeline.sync();
        }
    }

    /** True when this node has an online hash or a {@code nodes} entry, left from an earlier run. */
    public boolean hasLeftovers() {
        return redis.exists(keys.nodeOnline(self)) || redis.hexists(keys.nodes(), self);
    }

    /** Writes memberships of {@code clientId} back after Redis lost them; existing join times are kept. */
    public void restoreMemberships(String clientId, Set<String> chans) {
        if (chans.isEmpty()) {
            return;
        }
        String now = Long.toString(System.currentTimeMillis());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String chan : chans) {
                pipeline.hsetnx(keys.chan(chan), clientId, now);
                pipeline.sadd(keys.clientChans(clientId), chan);
                pipeline.sadd(keys.chans(), chan);
            }
            pipeline.sync();
        }
    }

    /**
     * The {@code run_id} of the Redis server, which changes whenever it restarts; null when this client may
     * not run {@code INFO} (an ACL user without {@code +info}) and on a Redis Cluster (one {@code run_id} per
     * master, and {@code INFO} goes to any of them): the node then re-asserts its state after every outage.
     */
    public String serverRunId() {
        if (redis instanceof RedisClusterClient) {
            return null;
        }
        String info;
        try {
            info = redis.info("server");
        } catch (JedisDataException notAllowed) {
            return null;
        }
        return info.lines()
                .filter(line -> line.startsWith("run_id:"))
                .map(line -> line.substring("run_id:".length()).trim())
                .findFirst()
                .orElse(null);
    }

    /** This node's entry in {@code nodes}, or null. */
    public String leaseOf(String entry) {
        return redis.hget(keys.nodes(), entry);
    }

    /** Whose claim to sweep {@code entry} holds now, or null. */
    public String sweepClaimOf(String entry) {
        return redis.get(keys.sweep(entry));
    }

    /** Takes over the claim to sweep {@code entry} whoever holds it (for a node sweeping its own leftovers). */
    public void forceClaimSweep(String entry) {
        redis.set(keys.sweep(entry), self, SetParams.setParams().ex(SWEEP_CLAIM_SECONDS));
    }

    /** Deletes any claim to sweep {@code entry}, whoever holds it (for a node starting on its own entry). */
    public void deleteSweepClaim(String entry) {
        redis.del(keys.sweep(entry));
    }

    /** Releases this node's claim to sweep {@code entry}, if it still holds it. */
    public void releaseSweep(String entry) {
        Scripts.releaseSweepClaim(redis, keys, entry, self);
    }

    public String self() {
        return self;
    }

    @Override
    public void memberChange(String type, String entry, String reason) {
        MembersFeed.append(redis, keys, type, entry, reason, System.currentTimeMillis());
    }

    @Override
    public Map<String, String> nodesListing(List<String> clientIds, List<String> nodes) {
        String[] ids = clientIds.toArray(String[]::new);
        List<Response<List<String>>> counts = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            nodes.forEach(entry -> counts.add(pipeline.hmget(keys.nodeOnline(entry), ids)));
            pipeline.sync();
        }
        Map<String, String> listing = new LinkedHashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            List<String> values = counts.get(n).get();
            for (int i = 0; i < ids.length; i++) {
                if (ClusterReader.count(values.get(i)) > 0) {
                    listing.putIfAbsent(ids[i], nodes.get(n));
                }
            }
        }
        return listing;
    }
}
