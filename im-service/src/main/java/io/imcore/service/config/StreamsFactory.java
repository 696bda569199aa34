package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.imcore.redis.StreamReader;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code streams:} section: retention and reading of the node's Redis streams (PROTOCOL.md section 5).
 */
public class StreamsFactory {
    /** Default retention in entries: over a minute of the measured peak rate to one node, ~330 MB when full. */
    public static final long DEFAULT_MAX_LEN = 1_500_000;

    /** Retention of every feed in entries ({@code XADD ... MAXLEN ~ maxLen}). Default 1,500,000. */
    @Min(1000)
    private long maxLen = DEFAULT_MAX_LEN;

    /** Age past which this node trims broadcast and events ({@code XTRIM MINID ~}). Default 10 minutes. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration maxAge = Duration.minutes(10);

    /** Most entries one read takes ({@code XREAD COUNT}). Default 1000. */
    @Min(1)
    @Max(100_000)
    private int readCount = 1000;

    /**
     * Longest wait of one read ({@code XREAD BLOCK}); capped at half of {@code redis.socketTimeout}, since a read
     * that blocks as long as the socket timeout would fail whenever Redis has nothing new. Default 1 s.
     */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration block = Duration.seconds(1);

    /**
     * Pause of the reader before its next read after a read that returned entries but not a full batch: at a
     * moderate rate one read then takes the entries of that time instead of one each (less CPU per message in
     * the node and in Redis); an entry waits at most this (and the thread's wake-up) for it. {@code 0ms}: none.
     * Default 500 µs.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    private Duration linger = Duration.microseconds(500);

    /** Lag behind the newest entry past which {@code redis-subscriber} is unhealthy. Default 10 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration maxLag = Duration.seconds(10);

    /** How long {@code redis-subscriber} stays unhealthy after a gap. Default 5 minutes. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration gapHealthWindow = Duration.minutes(5);

    @JsonProperty
    public long getMaxLen() {
        return maxLen;
    }

    @JsonProperty
    public void setMaxLen(long maxLen) {
        this.maxLen = maxLen;
    }

    @JsonProperty
    public Duration getMaxAge() {
        return maxAge;
    }

    @JsonProperty
    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    @JsonProperty
    public int getReadCount() {
        return readCount;
    }

    @JsonProperty
    public void setReadCount(int readCount) {
        this.readCount = readCount;
    }

    @JsonProperty
    public Duration getBlock() {
        return block;
    }

    @JsonProperty
    public void setBlock(Duration block) {
        this.block = block;
    }

    @JsonProperty
    public Duration getLinger() {
        return linger;
    }

    @JsonProperty
    public void setLinger(Duration linger) {
        this.linger = linger;
    }

    @JsonProperty
    public Duration getMaxLag() {
        return maxLag;
    }

    @JsonProperty
    public void setMaxLag(Duration maxLag) {
        this.maxLag = maxLag;
    }

    @JsonProperty
    public Duration getGapHealthWindow() {
        return gapHealthWindow;
    }

    @JsonProperty
    public void setGapHealthWindow(Duration gapHealthWindow) {
        this.gapHealthWindow = gapHealthWindow;
    }

    /** How the node's reader reads, its block capped at half of {@code socketTimeout}. */
    public StreamReader.Reading reading(java.time.Duration socketTimeout) {
        long blockMillis = Math.max(1, Math.min(block.toMilliseconds(), socketTimeout.toMillis() / 2));
        return new StreamReader.Reading(
                readCount,
                java.time.Duration.ofMillis(blockMillis),
                maxLen,
                java.time.Duration.ofNanos(linger.toNanoseconds()));
    }
}
