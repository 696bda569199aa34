package io.imcore.redis;

import io.imcore.protocol.Keys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Channel memberships as PROTOCOL.md section 4 stores them ({@code <P>chan:<c>}, {@code <P>client:<id>:chans},
 * {@code <P>chans}), written in single-key steps that converge in any interleaving (PROTOCOL.md "Redis Cluster
 * layout"): no step touches keys of two hash slots, so they work on one Redis, Sentinel and Redis Cluster alike.
 * Every step is idempotent: a call that failed half-way is repaired by calling it again. The envelope that tells
 * the node (a {@code join} or {@code leave}) is written last, after every key.
 */
public final class Memberships {
    private Memberships() {
    }

    /**
     * Makes {@code clientId} a member of {@code chan}: {@code HSET <P>chan:<chan> clientId joinedAt} and
     * {@code SADD <P>client:<clientId>:chans chan}; once both are written, {@code SADD <P>chans chan} and, when
     * {@code stream} is not null, {@code XADD stream MAXLEN ~ maxLen * e envelope}. Two round trips.
     */
    public static void join(UnifiedJedis redis, Keys keys, String clientId, String chan, String joinedAt,
                            String stream, long maxLen, String envelope) {
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
            Response<?> added = stream == null ? null
                    : pipeline.xadd(stream, Streams.addParams(maxLen), Streams.entry(envelope));
            pipeline.sync();
            listed.get();
            if (added != null) {
                added.get();
            }
        }
    }

    /**
     * Removes {@code clientId} from {@code chans}: per channel {@code HDEL <P>chan:<c>}; for each channel left
     * without a member, {@code SREM <P>chans c}, then a second look ({@code EXISTS}) and {@code SADD <P>chans c}
     * back when a member joined meanwhile; then {@code SREM <P>client:<clientId>:chans} and, when {@code stream}
     * is not null, {@code XADD stream MAXLEN ~ maxLen * e envelope}. At most four round trips, whatever the
     * number of channels.
     */
    public static void leave(UnifiedJedis redis, Keys keys, String clientId, Collection<String> chans,
                             String stream, long maxLen, String envelope) {
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
