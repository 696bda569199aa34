package io.imcore.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The {@code WAIT} knob: after a write that must survive a failover, waits until {@code replicas} replicas have
 * acknowledged it, for at most {@code timeout}. Redis replicates asynchronously: without it, a write the master
 * acknowledged and had not yet sent to a replica is lost when that replica is promoted. {@link #OFF} (the default)
 * waits for nothing.
 *
 * <pre>{@code
 * ReplicaAck ack = new ReplicaAck(1, Duration.ofMillis(100));
 * try (AbstractPipeline pipeline = redis.pipelined()) {
 *     pipeline.xadd(key, params, fields);
 *     Response<Long> acked = ack.append(pipeline, key);
 *     pipeline.sync();
 *     if (!ack.satisfied(acked)) { ... } // a failover may lose the write: report it, retry it
 * }
 * }</pre>
 *
 * @param replicas replicas that must acknowledge, 0 for none (off)
 * @param timeout  the longest wait, at least 1 ms when {@code replicas} is positive
 */
public record ReplicaAck(int replicas, Duration timeout) {
    /** Waits for nothing. */
    public static final ReplicaAck OFF = new ReplicaAck(0, Duration.ZERO);

    /**
     * @throws IllegalArgumentException when {@code replicas} is negative, or positive with a timeout under 1 ms
     */
    public ReplicaAck {
        if (replicas < 0) {
            throw new IllegalArgumentException("waitReplicas must not be negative, was " + replicas);
        }
        if (replicas > 0 && (timeout == null || timeout.toMillis() < 1)) {
            throw new IllegalArgumentException(
                    "waitTimeout must be at least 1 ms when waitReplicas is set, was " + timeout);
        }
    }

    /** {@return whether it waits for anything} */
    public boolean isOn() {
        return replicas > 0;
    }

    /**
     * Appends {@code WAIT replicas timeout} to {@code pipeline}, after the writes to acknowledge: {@code WAIT}
     * counts the writes made before on its own connection, so it must share the pipeline (on Redis Cluster, it
     * goes with the writes to {@code key}'s slot).
     *
     * @return the answer to pass to {@link #satisfied(Response)}, or null when off
     */
    public Response<Long> append(AbstractPipeline pipeline, String key) {
        return isOn() ? pipeline.waitReplicas(key, replicas, timeout.toMillis()) : null;
    }

    /** {@return whether the {@code WAIT} that {@link #append} queued (null when off) saw enough replicas} */
    public boolean satisfied(Response<Long> answer) {
        return answer == null || answer.get() >= replicas;
    }

    /**
     * Appends the {@code WAIT}s that cover writes to {@code keys} queued before on {@code pipeline}: one on one
     * Redis or Sentinel (one connection), one per key on a cluster ({@code WAIT} goes with the writes to each
     * key's master; a second {@code WAIT} on a master already acknowledged returns at once).
     *
     * @return the answers to pass to {@link #allSatisfied(List)}, empty when off
     */
    public List<Response<Long>> append(AbstractPipeline pipeline, Collection<String> keys, boolean cluster) {
        if (!isOn() || keys.isEmpty()) {
            return List.of();
        }
        Collection<String> targets = cluster ? keys : List.of(keys.iterator().next());
        List<Response<Long>> answers = new ArrayList<>(targets.size());
        for (String key : targets) {
            answers.add(append(pipeline, key));
        }
        return answers;
    }

    /** {@return whether every {@code WAIT} that {@link #append(AbstractPipeline, Collection, boolean)} queued saw
     * enough replicas} */
    public boolean allSatisfied(List<Response<Long>> answers) {
        return answers.stream().allMatch(this::satisfied);
    }

    /**
     * {@code XADD key params fields}, followed on the same connection by the {@code WAIT} when on.
     *
     * @return whether enough replicas acknowledged it (always true when off); false means a failover may lose it
     */
    public boolean xadd(UnifiedJedis redis, String key, XAddParams params, Map<String, String> fields) {
        if (!isOn()) {
            redis.xadd(key, params, fields);
            return true;
        }
        Response<StreamEntryID> added;
        Response<Long> acked;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            added = pipeline.xadd(key, params, fields);
            acked = append(pipeline, key);
            pipeline.sync();
        }
        added.get(); // surfaces an error reply
        return satisfied(acked);
    }

    /** {@code WAIT replicas timeout} in words, for logs. */
    @Override
    public String toString() {
        return isOn() ? "WAIT " + replicas + " " + timeout.toMillis() + " ms" : "no WAIT";
    }
}
