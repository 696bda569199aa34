package io.imcore.service.broker;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XTrimParams;

/**
 * Trims the shared feeds ({@code broadcast}, {@code events}) by age, {@code XTRIM <key> MINID ~ <now - maxAge>},
 * every {@code interval}, so an idle cluster does not keep {@code maxLen} entries for ever. Every node does it;
 * the trims are idempotent.
 */
public final class FeedTrimmer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(FeedTrimmer.class);

    private final UnifiedJedis redis;
    private final List<String> feeds;
    private final Duration maxAge;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> task;

    public FeedTrimmer(
            UnifiedJedis redis,
            List<String> feeds,
            Duration maxAge,
            Duration interval,
            ScheduledExecutorService scheduler) {
        this.redis = redis;
        this.feeds = List.copyOf(feeds);
        this.maxAge = maxAge;
        this.interval = interval;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        long period = interval.toMillis();
        task = scheduler.scheduleWithFixedDelay(this::trim, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void trim() {
        String minId = (System.currentTimeMillis() - maxAge.toMillis()) + "-0";
        try (AbstractPipeline pipeline = redis.pipelined()) {
            feeds.forEach(feed ->
                    pipeline.xtrim(feed, XTrimParams.xTrimParams().minId(minId).approximateTrimming()));
            pipeline.sync();
        } catch (RuntimeException e) {
            LOG.debug("trimming {} by age failed: {}", feeds, e.toString());
        }
    }
}
