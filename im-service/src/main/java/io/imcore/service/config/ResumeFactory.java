package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.imcore.service.hub.SessionLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code websocket.resume:} section: client sessions, acks and resume (PROTOCOL.md section 3.1).
 *
 * <p>Defaults: a 2-minute window, as Socket.IO's connection state recovery, covers a tunnel, a lift or a switch
 * from Wi-Fi to 4G. 256 frames and 128 KiB per client (SignalR keeps 100 KB) hold two minutes of a busy
 * conversation; a terminal that acks keeps at most ~32 frames unacked while connected, so the bound matters only
 * for clients that stay away under heavy traffic, and they get {@code resumed:false} and re-read.
 */
public class ResumeFactory {
    /**
     * How long a client's session outlives its last connection (closed for any reason but a kick or other 1008,
     * a drain or a stop), waiting for a resume. 0 ends it with the last connection. Default 2 minutes.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration window = Duration.minutes(2);

    /** Most unacked frames kept per client in acks mode; past it the oldest go. Default 256. */
    @Min(1)
    @Max(1_000_000)
    private int maxFrames = 256;

    /** Most UTF-8 bytes of unacked frames kept per client in acks mode; past it the oldest go. Default 128 KiB. */
    @NotNull
    @MinDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
    private DataSize maxBytes = DataSize.kibibytes(128);

    /**
     * How long a client whose last connection closed (and whose session waits for a resume) still counts as
     * online: its {@code offline} event comes only if it has not reconnected by then, so a 3-second tunnel makes
     * no offline/online pair. At most {@code window}; 0 publishes {@code offline} at the last close. Default 5 s.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration offlineDelay = Duration.seconds(5);

    @JsonProperty
    public Duration getOfflineDelay() {
        return offlineDelay;
    }

    @JsonProperty
    public void setOfflineDelay(Duration offlineDelay) {
        this.offlineDelay = offlineDelay;
    }

    @JsonProperty
    public Duration getWindow() {
        return window;
    }

    @JsonProperty
    public void setWindow(Duration window) {
        this.window = window;
    }

    @JsonProperty
    public int getMaxFrames() {
        return maxFrames;
    }

    @JsonProperty
    public void setMaxFrames(int maxFrames) {
        this.maxFrames = maxFrames;
    }

    @JsonProperty
    public DataSize getMaxBytes() {
        return maxBytes;
    }

    @JsonProperty
    public void setMaxBytes(DataSize maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The bounds of the client sessions. */
    public SessionLimits limits() {
        return new SessionLimits(window.toJavaDuration(), maxFrames, maxBytes.toBytes(), offlineDelay.toJavaDuration());
    }
}
