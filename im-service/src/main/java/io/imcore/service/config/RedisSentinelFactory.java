package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.imcore.redis.RedisSentinelSettings;
import io.imcore.redis.ReplicaAck;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The optional {@code redis.sentinel:} section: a master monitored by Redis Sentinel, instead of {@code redis.uri}.
 * The node asks the sentinels for the master at start and after every failure, so a failover needs no restart.
 */
public class RedisSentinelFactory {
    /** The name the sentinels monitor the master by ({@code sentinel monitor <masterName> …}). Required. */
    private String masterName;

    /** The sentinels, {@code host:port} each. Required. */
    private List<String> nodes = List.of();

    /** ACL user on the master and replicas. Default none ({@code default}). */
    private String user;

    /** Password on the master and replicas. Default none. */
    private String password;

    /** Database number. Default 0. */
    @Min(0)
    private int database;

    /** TLS to the master, the replicas and the sentinels. Default false. */
    private boolean ssl;

    /** ACL user on the sentinels. Default none. */
    private String sentinelUser;

    /** Password on the sentinels. Default none. */
    private String sentinelPassword;

    /**
     * Replicas that must acknowledge a publish ({@code WAIT}) before it counts as accepted; 0 (the default) waits
     * for none, and a failover may then lose what the old master had not yet replicated.
     */
    @Min(0)
    private int waitReplicas;

    /** Longest {@code WAIT} for {@code waitReplicas}. Default 100 ms. */
    @NotNull
    private Duration waitTimeout = Duration.milliseconds(100);

    /** The settings, checked: {@link IllegalArgumentException} with one clear line, never a password. */
    public RedisSentinelSettings settings() {
        return RedisSentinelSettings.of(
                "redis.sentinel", masterName, nodes, user, password, database, ssl, sentinelUser, sentinelPassword);
    }

    /**
     * The {@code WAIT} knob: {@link ReplicaAck#OFF} unless {@code waitReplicas} is set.
     *
     * @throws IllegalArgumentException with one line naming the keys when {@code waitTimeout} is under 1 ms
     */
    public ReplicaAck replicaAck() {
        return ReplicaKnob.of("redis.sentinel", waitReplicas, waitTimeout);
    }

    @JsonProperty
    public String getMasterName() {
        return masterName;
    }

    @JsonProperty
    public void setMasterName(String masterName) {
        this.masterName = masterName;
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
    public int getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(int database) {
        this.database = database;
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
    public String getSentinelUser() {
        return sentinelUser;
    }

    @JsonProperty
    public void setSentinelUser(String sentinelUser) {
        this.sentinelUser = sentinelUser;
    }

    @JsonProperty
    public String getSentinelPassword() {
        return sentinelPassword;
    }

    @JsonProperty
    public void setSentinelPassword(String sentinelPassword) {
        this.sentinelPassword = sentinelPassword;
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
