package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.imcore.service.hub.QueueLimits;
import io.imcore.service.node.ConnectionLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
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

    /**
     * Most frames (text, binary, ping, pong) one connection may send per second, with bursts of as many; a
     * terminal that sends faster is closed with 1008. 0 turns the limit off. Default 100: acks count too, and
     * a terminal acking every 32 frames (imcore.js) needs 50 a second to keep up with 1,600 frames a second; the
     * other half is for pings and the rest.
     */
    @Min(0)
    @Max(1_000_000)
    private int maxFramesPerSecond = 100;

    /**
     * Most connections one client id may hold on this node; one more is refused with HTTP 429 before the
     * upgrade (or, when two upgrades race for the last place, closed with 1008 right after it). Default 16.
     */
    @Min(1)
    @Max(1_000_000)
    private int maxConnectionsPerClient = 16;

    /**
     * Most WebSocket connections on this node; one more is refused with HTTP 503 before the upgrade (or, when
     * upgrades race for the last place, closed with 1001 right after it). Default 20 000.
     */
    @Min(1)
    @Max(10_000_000)
    private int maxConnections = 20_000;

    /**
     * Values of the {@code Origin} header allowed to open the endpoint, such as {@code https://app.example.com}
     * (compared ignoring case and a trailing {@code /}); any other origin, or none, is refused with HTTP 403.
     * Empty (the default): every origin, and requests without one, are allowed.
     */
    @NotNull
    private List<
                    @NotNull
                    @Pattern(
                            regexp = "(?i)null|https?://[^/\\s]+/?",
                            message = "must be an origin such as https://app.example.com")
                    String>
            allowedOrigins = List.of();

    /**
     * Time a terminal gets to complete the close handshake when the node closes its connection (slow consumer,
     * kick, shutdown, limits); after it the socket is dropped, so a terminal that stopped reading cannot hold
     * the connection open. Default 5 s.
     */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration closeTimeout = Duration.seconds(5);

    /**
     * Whether terminals may negotiate {@code permessage-deflate} (browsers offer it). Off by default: frames are
     * small JSON, and a compressing connection keeps a zlib deflater for its lifetime (context takeover); measured,
     * ~109 KiB of node RSS per connection against ~14 KiB without (README, configuration reference).
     */
    private boolean compression = false;

    /** Client sessions, acks and resume. */
    @Valid
    @NotNull
    private ResumeFactory resume = new ResumeFactory();

    @JsonProperty
    public ResumeFactory getResume() {
        return resume;
    }

    @JsonProperty
    public void setResume(ResumeFactory resume) {
        this.resume = resume;
    }

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

    @JsonProperty
    public int getMaxFramesPerSecond() {
        return maxFramesPerSecond;
    }

    @JsonProperty
    public void setMaxFramesPerSecond(int maxFramesPerSecond) {
        this.maxFramesPerSecond = maxFramesPerSecond;
    }

    @JsonProperty
    public int getMaxConnectionsPerClient() {
        return maxConnectionsPerClient;
    }

    @JsonProperty
    public void setMaxConnectionsPerClient(int maxConnectionsPerClient) {
        this.maxConnectionsPerClient = maxConnectionsPerClient;
    }

    @JsonProperty
    public int getMaxConnections() {
        return maxConnections;
    }

    @JsonProperty
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @JsonProperty
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    @JsonProperty
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    @JsonProperty
    public boolean isCompression() {
        return compression;
    }

    @JsonProperty
    public void setCompression(boolean compression) {
        this.compression = compression;
    }

    @JsonProperty
    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    @JsonProperty
    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    /** Bounds of each connection's outbound queue. */
    public QueueLimits queueLimits() {
        return new QueueLimits(maxQueuedFrames, maxQueuedBytes.toBytes());
    }

    /** Connections per node and per client. */
    public ConnectionLimits connectionLimits() {
        return new ConnectionLimits(maxConnections, maxConnectionsPerClient);
    }
}
