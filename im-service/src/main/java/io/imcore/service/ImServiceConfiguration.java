package io.imcore.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.imcore.service.config.ChannelsFactory;
import io.imcore.service.config.ClusterFactory;
import io.imcore.service.config.RedisFactory;
import io.imcore.service.config.StreamsFactory;
import io.imcore.service.config.WebSocketFactory;
import io.imcore.service.node.NodeSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The node's configuration: Dropwizard's {@code server:} and {@code logging:} plus the sections below. */
public class ImServiceConfiguration extends Configuration {
    @Valid
    @NotNull
    private ClusterFactory cluster = new ClusterFactory();

    @Valid
    @NotNull
    private RedisFactory redis = new RedisFactory();

    @Valid
    @NotNull
    private WebSocketFactory websocket = new WebSocketFactory();

    @Valid
    @NotNull
    private ChannelsFactory channels = new ChannelsFactory();

    @Valid
    @NotNull
    private StreamsFactory streams = new StreamsFactory();

    @JsonProperty
    public ClusterFactory getCluster() {
        return cluster;
    }

    @JsonProperty
    public void setCluster(ClusterFactory cluster) {
        this.cluster = cluster;
    }

    @JsonProperty
    public RedisFactory getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(RedisFactory redis) {
        this.redis = redis;
    }

    @JsonProperty
    public WebSocketFactory getWebsocket() {
        return websocket;
    }

    @JsonProperty
    public void setWebsocket(WebSocketFactory websocket) {
        this.websocket = websocket;
    }

    @JsonProperty
    public ChannelsFactory getChannels() {
        return channels;
    }

    @JsonProperty
    public void setChannels(ChannelsFactory channels) {
        this.channels = channels;
    }

    @JsonProperty
    public StreamsFactory getStreams() {
        return streams;
    }

    @JsonProperty
    public void setStreams(StreamsFactory streams) {
        this.streams = streams;
    }

    /** What the node needs from the {@code websocket:}, {@code channels:} and {@code cluster:} sections. */
    public NodeSettings nodeSettings() {
        return new NodeSettings(
                websocket.getHeartbeat().toJavaDuration(),
                channels.isKeepOnDisconnect(),
                websocket.queueLimits(),
                websocket.connectionLimits(),
                cluster.getShutdownGracePeriod().toJavaDuration(),
                websocket.getResume().limits());
    }
}
