package io.imcore.service.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.imcore.redis.ReplicaAck;
import io.imcore.redis.Streams;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Publishes through a pooled Redis client, {@code XADD <stream> MAXLEN ~ <maxLen> * e <envelope>}; asynchronous
 * publishes run on one bounded background thread.
 */
public final class RedisBroker implements Broker, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final Duration RETRY_FOR = Duration.ofSeconds(10);

    private final UnifiedJedis redis;
    private final ThreadPoolExecutor background;
    private final Counter failed;
    private final long maxLen;
    private final ReplicaAck replicaAck;
    private final Counter unacknowledged;

    public RedisBroker(UnifiedJedis redis, long maxLen, MetricRegistry metrics) {
        this(redis, maxLen, ReplicaAck.OFF, metrics);
    }

    /** @param replicaAck the {@code WAIT} after every {@code XADD} (the {@code waitReplicas} knob of Sentinel or Cluster) */
    public RedisBroker(UnifiedJedis redis, long maxLen, ReplicaAck replicaAck, MetricRegistry metrics) {
        this.redis = redis;
        this.maxLen = maxLen;
        this.replicaAck = replicaAck;
        this.failed = metrics.counter("im.redis.publish.failed");
        this.unacknowledged = metrics.counter("im.redis.publish.unacknowledged");
        this.background = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(100_000),
                runnable -> {
                    Thread thread = new Thread(runnable, "im-publisher");
                    thread.setDaemon(true);
                    return thread;
                },
                (runnable, executor) -> {
                    failed.inc();
                    LOG.warn("publish queue full, dropping a publish");
                });
    }

    @Override
    public void publish(String stream, String envelope) {
        if (!replicaAck.xadd(redis, stream, Streams.addParams(maxLen), Streams.entry(envelope))) {
            // written on the master: retrying would duplicate it; a failover before replication may lose it
            unacknowledged.inc();
            LOG.warn("publish to {} not acknowledged by the replicas within {}", stream, replicaAck);
        }
    }

    @Override
    public void publishAsync(String stream, String envelope) {
        background.execute(() -> publishRetrying(stream, envelope));
    }

    /**
     * Publishes, retrying a failure (a connection killed or Redis restarting) with backoff for up to
     * {@link #RETRY_FOR}, so that a receipt survives a Redis blip; later publishes wait, which keeps their order.
     */
    private void publishRetrying(String stream, String envelope) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        long pause = 50;
        while (true) {
            try {
                publish(stream, envelope);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0 || background.isShutdown()) {
                    failed.inc();
                    LOG.warn("publish to {} failed: {}", stream, e.toString());
                    return;
                }
                LOG.debug("publish to {} failed, retrying in {} ms: {}", stream, pause, e.toString());
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failed.inc();
                    return;
                }
                pause = Math.min(pause * 2, 1000);
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        background.shutdown();
        if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
            background.shutdownNow();
        }
    }
}
