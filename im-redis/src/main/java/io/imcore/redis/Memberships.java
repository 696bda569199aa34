package io.imcore.redis;

import io.imcore.protocol.Keys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Channel memberships as PROTOCOL.md section 4 stores them ({@code <P>chan:<c>}, {@code <P>client:<id>:chans},
 * {@code <P>chans}). On one Redis and on Sentinel atomically: a join in one {@code MULTI}, a leave in one Lua
 * script ({@link Scripts}). On a Redis Cluster, where those keys are in different hash slots, in single-key steps
 * that converge (PROTOCOL.md 5.8): every step is idempotent, so a call that failed half-way is repaired by calling
 * it again. Either way the envelope that tells the node (a {@code join} or {@code leave}) is written last.
 */
public final class Memberships {
    private Memberships() {}

    /**
     * Makes {@code clientId} a member of {@code chan}: {@code HSET <P>chan:<chan> clientId joinedAt},
     * {@code SADD <P>client:<clientId>:chans chan}, {@code SADD <P>chans chan} and, when {@code stream} is not
     * null, {@code XADD stream MAXLEN ~ maxLen * e envelope}: one {@code MULTI}, or on a cluster two round trips
     * (the first two, then the last two).
     */
    public static void join(
            UnifiedJedis redis,
            Keys keys,
            String clientId,
            String chan,
            String joinedAt,
            String stream,
            long maxLen,
            String envelope) {
        if (!(redis instanceof RedisClusterClient)) {
            joinAtomically(redis, keys, clientId, chan, joinedAt, stream, maxLen, envelope);
            return;
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<Long> hset = pipeline.hset(keys.chan(chan), clientId, joinedAt);
            Response<Long> sadd = pipeline.sadd(keys.clientChans(clientId), chan);
            pipeline.sync();
            hset.get();
            sadd.get();
        }
        // only after the member is in the hash: a leave that emptied it either sees the member or comes first
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<Long> listed = pipeline.sadd(keys.chans(), chan);
            Response<?> added =
                    stream == null ? null : pipeline.xadd(stream, Streams.addParams(maxLen), Streams.entry(envelope));
            pipeline.sync();
            listed.get();
            if (added != null) {
                added.get();
            }
        }
    }

    /**
     * Removes {@code clientId} from {@code chans}, in one Lua script ({@link Scripts}), or on a cluster: per
     * channel {@code HDEL <P>chan:<c>}; for each channel left
     * without a member, {@code SREM <P>chans c}, then a second look ({@code EXISTS}) and {@code SADD <P>chans c}
     * back when a member joined meanwhile; then {@code SREM <P>client:<clientId>:chans} and, when {@code stream}
     * is not null, {@code XADD stream MAXLEN ~ maxLen * e envelope}. At most four round trips, whatever the
     * number of channels.
     */
    public static void leave(
            UnifiedJedis redis,
            Keys keys,
            String clientId,
            Collection<String> chans,
            String stream,
            long maxLen,
            String envelope) {
        if (!(redis instanceof RedisClusterClient)) {
            Scripts.leaveChannels(redis, keys, clientId, chans, stream, maxLen, envelope);
            return;
        }
        List<String> names = List.copyOf(chans);
        List<Response<Boolean>> stillThere = new ArrayList<>(names.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String chan : names) {
                pipeline.hdel(keys.chan(chan), clientId);
                stillThere.add(pipeline.exists(keys.chan(chan))); // same key, same connection: after the HDEL
            }
            pipeline.sync();
        }
        List<String> emptied = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!stillThere.get(i).get()) {
                emptied.add(names.get(i));
            }
        }
        List<String> refilled = new ArrayList<>();
        if (!emptied.isEmpty()) {
            redis.srem(keys.chans(), emptied.toArray(String[]::new));
            List<Response<Boolean>> again = new ArrayList<>(emptied.size());
            try (AbstractPipeline pipeline = redis.pipelined()) {
                emptied.forEach(chan -> again.add(pipeline.exists(keys.chan(chan))));
                pipeline.sync();
            }
            for (int i = 0; i < emptied.size(); i++) {
                if (again.get(i).get()) {
                    refilled.add(emptied.get(i));
                }
            }
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<Response<?>> answers = new ArrayList<>();
            if (!refilled.isEmpty()) {
                answers.add(pipeline.sadd(keys.chans(), refilled.toArray(String[]::new)));
            }
            if (!names.isEmpty()) {
                answers.add(pipeline.srem(keys.clientChans(clientId), names.toArray(String[]::new)));
            }
            if (stream != null) {
                answers.add(pipeline.xadd(stream, Streams.addParams(maxLen), Streams.entry(envelope)));
            }
            pipeline.sync();
            answers.forEach(Response::get);
        }
    }

    private static void joinAtomically(
            UnifiedJedis redis,
            Keys keys,
            String clientId,
            String chan,
            String joinedAt,
            String stream,
            long maxLen,
            String envelope) {
        List<Object> results;
        try (AbstractTransaction tx = redis.multi()) {
            tx.hset(keys.chan(chan), clientId, joinedAt);
            tx.sadd(keys.clientChans(clientId), chan);
            tx.sadd(keys.chans(), chan);
            if (stream != null) {
                tx.xadd(stream, Streams.addParams(maxLen), Streams.entry(envelope));
            }
            results = tx.exec();
        }
        if (results == null) {
            throw new JedisDataException("the join transaction was aborted");
        }
        for (Object result : results) {
            if (result instanceof RuntimeException e) {
                throw new JedisDataException("join failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Removes {@code clientId} from every channel it is a member of: reads its chans set, then leaves those
     * channels. A channel joined between the two is kept, as if joined after.
     */
    public static void leaveAll(UnifiedJedis redis, Keys keys, String clientId) {
        Collection<String> chans = redis.smembers(keys.clientChans(clientId));
        if (!chans.isEmpty()) {
            leave(redis, keys, clientId, chans, null, 0, "");
        }
    }
}
