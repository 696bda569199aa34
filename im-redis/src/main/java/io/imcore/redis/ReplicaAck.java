package io.imcore.redis;

import java.time.Duration;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

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
            throw new IllegalArgumentException("waitTimeout must be at least 1 ms when waitReplicas is set, was "
                    + timeout);
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

    /** {@code WAIT replicas timeout} in words, for logs. */
    @Override
    public String toString() {
        return isOn() ? "WAIT " + replicas + " " + timeout.toMillis() + " ms" : "no WAIT";
    }
}
