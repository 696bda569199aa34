package io.imcore.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.imcore.redis.StreamReader.ReaderState;
import io.imcore.service.broker.NodeReader;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code redis-subscriber} (the name operators already watch): healthy only while the node's stream reader is
 * connected and reading its inbox and {@code broadcast}, no feed is more than {@code streams.maxLag} behind its
 * newest entry, and no gap was found within {@code streams.gapHealthWindow}. Says since when it is in which
 * state, and why it is not healthy.
 */
public final class ReaderHealthCheck extends HealthCheck {
    private final NodeReader reader;
    private final Duration maxLag;
    private final Duration gapWindow;

    public ReaderHealthCheck(NodeReader reader, Duration maxLag, Duration gapWindow) {
        this.reader = reader;
        this.maxLag = maxLag;
        this.gapWindow = gapWindow;
    }

    @Override
    protected Result check() {
        ReaderState state = reader.state();
        Instant since = reader.since();
        long seconds = Duration.between(since, Instant.now()).toSeconds();
        if (state != ReaderState.READING) {
            return Result.unhealthy(
                    "%s since %s (%d s), not reading %s; last error: %s",
                    state, since, seconds, reader.streams(), reader.lastError());
        }
        Instant gapAt = reader.lastGapAt();
        if (gapAt != null && gapAt.plus(gapWindow).isAfter(Instant.now())) {
            return Result.unhealthy(
                    "%s %s, but a gap was found at %s (%s): entries were lost unread",
                    state, reader.streams(), gapAt, reader.lastGap());
        }
        long lag = reader.maxLagMillis();
        if (lag > maxLag.toMillis()) {
            return Result.unhealthy(
                    "%s %s, but %d ms behind (more than %d ms)", state, reader.streams(), lag, maxLag.toMillis());
        }
        return Result.healthy("%s %s since %s (%d s), %d ms behind", state, reader.streams(), since, seconds, lag);
    }
}
