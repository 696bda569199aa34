package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.imcore.redis.RedisClusterSettings;
import io.imcore.redis.ReplicaAck;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The optional {@code redis.cluster:} section: a Redis Cluster, instead of {@code redis.uri}. The node learns the
 * slots from the first seed that answers and follows {@code MOVED} and failovers inside the cluster.
 */
public class RedisClusterFactory {
    /** Some nodes of the cluster (seeds), {@code host:port} each. Required. */
    private List<String> nodes = List.of();

    /** ACL user. Default none ({@code default}). */
    private String user;

    /** Password. Default none. */
    private String password;

    /** TLS. Default false. */
    private boolean ssl;

    /**
     * Replicas of the written key's master that must acknowledge a publish ({@code WAIT}) before it counts as
     * accepted; 0 (the default) waits for none, and a failover inside the cluster may then lose what the old master
     * had not yet replicated.
     */
    @Min(0)
    private int waitReplicas;

    /** Longest {@code WAIT} for {@code waitReplicas}. Default 100 ms. */
    @NotNull
    private Duration waitTimeout = Duration.milliseconds(100);

    /** The settings, checked: {@link IllegalArgumentException} with one clear line, never a password. */
    public RedisClusterSettings settings() {
        return RedisClusterSettings.of("redis.cluster", nodes, user, password, ssl);
    }

    /**
     * The {@code WAIT} knob: {@link ReplicaAck#OFF} unless {@code waitReplicas} is set.
     *
     * @throws IllegalArgumentException with one line naming the keys when {@code waitTimeout} is under 1 ms
     */
    public ReplicaAck replicaAck() {
        return ReplicaKnob.of("redis.cluster", waitReplicas, waitTimeout);
    }

    @JsonProperty
    public List<String> getNodes() {
        return nodes;
    }

    @JsonProperty
    public void setNodes(List<String> nodes) {
        this.nodes = nodes;
    }

    @JsonProperty
    public String getUser() {
        return user;
    }

    @JsonProperty
    public void setUser(String user) {
        this.user = user;
    }

    @JsonProperty
    public String getPassword() {
        return password;
    }

    @JsonProperty
    public void setPassword(String password) {
        this.password = password;
    }

    @JsonProperty
    public boolean isSsl() {
        return ssl;
    }

    @JsonProperty
    public void setSsl(boolean ssl) {
        this.ssl = ssl;
    }

    @JsonProperty
    public int getWaitReplicas() {
        return waitReplicas;
    }

    @JsonProperty
    public void setWaitReplicas(int waitReplicas) {
        this.waitReplicas = waitReplicas;
    }

    @JsonProperty
    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    @JsonProperty
    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }
}
