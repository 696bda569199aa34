package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/** The {@code websocket:} section: the terminals' endpoint. */
public class WebSocketFactory {
    /** Path of the endpoint on the application connector. Default {@code /ws}. */
    @NotNull
    @Pattern(regexp = "/[A-Za-z0-9._~/-]*", message = "must start with / and hold only URL path characters")
    private String path = "/ws";

    /** Largest text frame a terminal may send; larger closes the connection with 1009. Default 64 KiB. */
    @NotNull
    @MinDataSize(value = 128, unit = io.dropwizard.util.DataSizeUnit.BYTES)
    @MaxDataSize(value = 16, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    private DataSize maxFrameSize = DataSize.kibibytes(64);

    /** The node pings every connection this often and closes one silent for 3 × heartbeat. Default 25 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration heartbeat = Duration.seconds(25);

    /** Most frames waiting to be written to one connection before it is closed as slow (4000). Default 1024. */
    @Min(1)
    @Max(1_000_000)
    private int maxQueuedFrames = 1024;

    /** Most bytes waiting to be written to one connection before it is closed as slow (4001). Default 4 MiB. */
    @NotNull
    @MinDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
    private DataSize maxQueuedBytes = DataSize.mebibytes(4);

    @JsonProperty
    public String getPath() {
        return path;
    }

    @JsonProperty
    public void setPath(String path) {
        this.path = path;
    }

    @JsonProperty
    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    @JsonProperty
    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @JsonProperty
    public Duration getHeartbeat() {
        return heartbeat;
    }

    @JsonProperty
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    @JsonProperty
    public int getMaxQueuedFrames() {
        return maxQueuedFrames;
    }

    @JsonProperty
    public void setMaxQueuedFrames(int maxQueuedFrames) {
        this.maxQueuedFrames = maxQueuedFrames;
    }

    @JsonProperty
    public DataSize getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    @JsonProperty
    public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }
}
