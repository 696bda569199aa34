package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imcore.redis.RedisClusterSettings;
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

    /** The settings, checked: {@link IllegalArgumentException} with one clear line, never a password. */
    public RedisClusterSettings settings() {
        return RedisClusterSettings.of("redis.cluster", nodes, user, password, ssl);
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
}
