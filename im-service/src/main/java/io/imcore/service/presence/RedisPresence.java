package io.imcore.service.presence;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/** The Redis state of PROTOCOL.md section 4 as this node reads and writes it. */
public final class RedisPresence {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);

    /**
     * Removes a client from all its channels atomically; the channel keys are derived from the prefix in
     * ARGV[2] because they are only known once the client's set is read.
     */
    private static final String LEAVE_ALL = """
            local chans = redis.call('SMEMBERS', KEYS[1])
            for _, c in ipairs(chans) do
              local key = ARGV[2] .. 'chan:' .. c
              redis.call('HDEL', key, ARGV[1])
              if redis.call('HLEN', key) == 0 then redis.call('SREM', ARGV[2] .. 'chans', c) end
            end
            redis.call('DEL', KEYS[1])
            return #chans
            """;

    private final UnifiedJedis redis;
    private final Keys keys;
    private final String self;

    public RedisPresence(UnifiedJedis redis, Keys keys, String self) {
        this.redis = redis;
        this.keys = keys;
        this.self = self;
    }

    /** Records how many connections {@code clientId} has on this node. */
    public void setConnections(String clientId, int count) {
        redis.hset(keys.nodeOnline(self), clientId, Integer.toString(count));
    }

    /**
     * Records {@code clientId}'s first connection here ({@code HSET}) and reads its channels ({@code SMEMBERS})
     * in one round trip; returns the channels.
     */
    public Set<String> registerFirst(String clientId, int count) {
        Response<Set<String>> chans;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.hset(keys.nodeOnline(self), clientId, Integer.toString(count));
            chans = pipeline.smembers(keys.clientChans(clientId));
            pipeline.sync();
        }
        return chans.get();
    }

    /**
     * Ends {@code clientId}'s presence here in one round trip, in this order: {@code HDEL} from the online hash,
     * the channel cleanup of {@link #leaveAllChannels} when {@code leaveChannels}, then the {@code offline}
     * event. Throws the first error reply.
     */
    public void unregister(String clientId, boolean leaveChannels, PresenceEvent offline) {
        List<Response<?>> replies = new ArrayList<>(3);
        try (AbstractPipeline pipeline = redis.pipelined()) {
            replies.add(pipeline.hdel(keys.nodeOnline(self), clientId));
            if (leaveChannels) {
                replies.add(pipeline.eval(LEAVE_ALL, List.of(keys.clientChans(clientId)),
                        List.of(clientId, keys.prefix())));
            }
            replies.add(pipeline.publish(keys.events(), Codec.encode(offline)));
            pipeline.sync();
        }
        replies.forEach(Response::get); // an error reply throws here
    }

    /** Removes {@code clientId} from this node's online hash. */
    public void removeClient(String clientId) {
        redis.hdel(keys.nodeOnline(self), clientId);
    }

    /** The channels {@code clientId} is a member of. */
    public Set<String> channelsOf(String clientId) {
        return redis.smembers(keys.clientChans(clientId));
    }

    /** Removes {@code clientId} from every channel it is a member of. */
    public void leaveAllChannels(String clientId) {
        redis.eval(LEAVE_ALL, List.of(keys.clientChans(clientId)), List.of(clientId, keys.prefix()));
    }

    /** Publishes an online or offline event. */
    public void publish(PresenceEvent event) {
        redis.publish(keys.events(), Codec.encode(event));
    }

    /** Writes this node's entry in {@code nodes}. */
    public void refreshLease(NodeLease lease) {
        redis.hset(keys.nodes(), self, Codec.encode(lease));
    }

    /** Every entry of {@code nodes}; an entry that does not decode counts as a lease seen at time 0 (dead). */
    public Map<String, NodeLease> leases() {
        Map<String, NodeLease> leases = new LinkedHashMap<>();
        redis.hgetAll(keys.nodes()).forEach((entry, json) -> {
            try {
                leases.put(entry, Codec.decodeLease(json));
            } catch (ProtocolException e) {
                LOG.warn("invalid nodes entry node={}: {}", entry, e.getMessage());
                leases.put(entry, new NodeLease(0, 0, 0));
            }
        });
        return leases;
    }

    /** Clients listed in a node's online hash. */
    public Set<String> onlineClientsOf(String entry) {
        return redis.hkeys(keys.nodeOnline(entry));
    }

    /** True when this node wins the right to sweep {@code entry}'s state. */
    public boolean claimSweep(String entry) {
        return "OK".equals(redis.set(keys.sweep(entry), self, SetParams.setParams().nx().ex(60)));
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

    /**
     * Writes this node's clients and their channel memberships again, as after Redis lost its data.
     * Memberships are only added, never removed, and existing join times are kept.
     */
    public void reassert(Map<String, Integer> connections, Map<String, Set<String>> channels) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            connections.forEach((clientId, count) ->
                    pipeline.hset(keys.nodeOnline(self), clientId, Integer.toString(count)));
            String now = Long.toString(System.currentTimeMillis());
            channels.forEach((clientId, chans) -> {
                for (String chan : chans) {
                    pipeline.hsetnx(keys.chan(chan), clientId, now);
                    pipeline.sadd(keys.clientChans(clientId), chan);
                    pipeline.sadd(keys.chans(), chan);
                }
            });
            pipeline.sync();
        }
    }

    public String self() {
        return self;
    }
}
