package io.imcore.service.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/** Publishes through a pooled Redis client; asynchronous publishes run on one bounded background thread. */
public final class RedisBroker implements Broker, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

    private final UnifiedJedis redis;
    private final ThreadPoolExecutor background;
    private final Counter failed;

    public RedisBroker(UnifiedJedis redis, MetricRegistry metrics) {
        this.redis = redis;
        this.failed = metrics.counter("im.redis.publish.failed");
        this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(100_000),
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
    public void publish(String channel, String payload) {
        redis.publish(channel, payload);
    }

    @Override
    public void publishAsync(String channel, String payload) {
        background.execute(() -> {
            try {
                redis.publish(channel, payload);
            } catch (RuntimeException e) {
                failed.inc();
                LOG.warn("publish to {} failed: {}", channel, e.toString());
            }
        });
    }

    @Override
    public void stop() throws InterruptedException {
        background.shutdown();
        if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
            background.shutdownNow();
        }
    }
}
