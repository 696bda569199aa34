package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.imcore.protocol.Keys;
import io.imcore.protocol.Protocol;
import io.imcore.redis.RedisAddress;
import io.imcore.redis.RedisConnections;
import io.imcore.redis.ReplicaAck;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code redis:} section: where Redis is and how this node talks to it. One of three: {@code uri} (one Redis),
 * {@code sentinel} (a master monitored by Redis Sentinel) or {@code cluster} (a Redis Cluster).
 */
public class RedisFactory {
    /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://…} for TLS. Default redis://127.0.0.1:6379. */
    @NotNull
    private String uri = "redis://127.0.0.1:6379";

    /** Whether the configuration names {@code uri} (its default does not count against sentinel or cluster). */
    private boolean uriGiven;

    /** A master monitored by Redis Sentinel instead of {@code uri}. Default: none. */
    @Valid
    private RedisSentinelFactory sentinel;

    /** A Redis Cluster instead of {@code uri}. Default: none. */
    @Valid
    private RedisClusterFactory cluster;

    /** Written in front of every key and stream. Default {@code im:}. */
    @NotNull
    private String keyPrefix = Protocol.DEFAULT_KEY_PREFIX;

    /** Time allowed to open a connection. Default 2 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration connectTimeout = Duration.seconds(2);

    /** Time allowed for one command's answer. Default 2 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration socketTimeout = Duration.seconds(2);

    /** Most pooled connections for commands and publishes (the stream reader has one more). Default 16. */
    @Min(2)
    @Max(1024)
    private int maxConnections = 16;

    /**
     * Longest wait for a pooled connection when all {@code maxConnections} are in use; waiters are served first
     * come, first served. An upgrade that waited this long in vain is refused with 503 "node is overloaded".
     * Default 5 s.
     */
    @NotNull
    private Duration poolWait = Duration.seconds(5);

    /** When set, the node runs its own Redis ({@link EmbeddedRedisFactory}); {@code uri} must name it. Default: none. */
    @Valid
    private EmbeddedRedisFactory embedded;

    @JsonProperty
    public String getUri() {
        return uri;
    }

    @JsonProperty
    public void setUri(String uri) {
        this.uri = uri;
        this.uriGiven = true;
    }

    @JsonProperty
    public RedisSentinelFactory getSentinel() {
        return sentinel;
    }

    @JsonProperty
    public void setSentinel(RedisSentinelFactory sentinel) {
        this.sentinel = sentinel;
    }

    @JsonProperty
    public RedisClusterFactory getCluster() {
        return cluster;
    }

    @JsonProperty
    public void setCluster(RedisClusterFactory cluster) {
        this.cluster = cluster;
    }

    @JsonProperty
    public String getKeyPrefix() {
        return keyPrefix;
    }

    @JsonProperty
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    @JsonProperty
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @JsonProperty
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @JsonProperty
    public Duration getSocketTimeout() {
        return socketTimeout;
    }

    @JsonProperty
    public void setSocketTimeout(Duration socketTimeout) {
        this.socketTimeout = socketTimeout;
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
    public Duration getPoolWait() {
        return poolWait;
    }

    @JsonProperty
    public void setPoolWait(Duration poolWait) {
        this.poolWait = poolWait;
    }

    @JsonProperty
    public EmbeddedRedisFactory getEmbedded() {
        return embedded;
    }

    @JsonProperty
    public void setEmbedded(EmbeddedRedisFactory embedded) {
        this.embedded = embedded;
    }

    /** The keys under the configured prefix. */
    public Keys keys() {
        return new Keys(keyPrefix);
    }

    /**
     * Checks the URI and throws {@link IllegalArgumentException} with one clear message when it cannot work;
     * the message shows the URI with its password masked and carries no cause that would show it whole.
     */
    public RedisAddress parsedUri() {
        return RedisAddress.parse("redis.uri", uri);
    }

    /**
     * The connections to the configured Redis, Sentinel master or Redis Cluster, named {@code im-service} in
     * {@code CLIENT LIST}.
     *
     * @throws IllegalArgumentException with one clear line when the section names more than one, or a bad one
     */
    public RedisConnections connections() {
        checkOneTopology();
        checkPoolWait();
        if (sentinel != null) {
            return new RedisConnections(
                    sentinel.settings(), "im-service", connectTimeout.toJavaDuration(), socketTimeout.toJavaDuration());
        }
        if (cluster != null) {
            return new RedisConnections(
                    cluster.settings(), "im-service", connectTimeout.toJavaDuration(), socketTimeout.toJavaDuration());
        }
        return new RedisConnections(
                parsedUri(), "im-service", connectTimeout.toJavaDuration(), socketTimeout.toJavaDuration());
    }

    /** The {@code WAIT} knob of {@code redis.sentinel} or {@code redis.cluster} ({@link ReplicaAck#OFF} on one Redis). */
    public ReplicaAck replicaAck() {
        return sentinel != null ? sentinel.replicaAck() : cluster != null ? cluster.replicaAck() : ReplicaAck.OFF;
    }

    /** What logs say about where Redis is: the masked URI, or the Sentinel or Cluster settings without passwords. */
    public String describe() {
        return sentinel != null
                ? sentinel.settings().toString()
                : cluster != null ? cluster.settings().toString() : maskedUri();
    }

    private void checkPoolWait() {
        if (poolWait != null && poolWait.toNanoseconds() <= 0) {
            throw new IllegalArgumentException(
                    "redis.poolWait must be more than 0 (how long a command may wait for a free connection), not "
                            + poolWait);
        }
    }

    private void checkOneTopology() {
        int chosen = (uriGiven ? 1 : 0) + (sentinel != null ? 1 : 0) + (cluster != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("redis: give one of uri, sentinel and cluster, not "
                    + (uriGiven ? "uri" : "") + (uriGiven && sentinel != null ? " and " : "")
                    + (sentinel != null ? "sentinel" : "") + (cluster != null ? " and cluster" : ""));
        }
        if ((sentinel != null || cluster != null) && embedded != null && embedded.isEnabled()) {
            throw new IllegalArgumentException("redis.embedded runs one Redis: it cannot be used with redis."
                    + (sentinel != null ? "sentinel" : "cluster"));
        }
        replicaAck(); // a bad WAIT knob stops the start before any connection
    }

    /**
     * Builds the pooled client and registers its closing with the application's lifecycle; with
     * {@code embedded} set and enabled, first registers the embedded Redis, so it starts before and stops after the rest.
     */
    public UnifiedJedis build(Environment environment) {
        RedisConnections connections = connections();
        if (embedded != null && embedded.isEnabled()) {
            environment.lifecycle().manage(embedded.build(parsedUri()));
        }
        UnifiedJedis client = connections.newClient(maxConnections, poolWait.toJavaDuration(), true);
        environment.lifecycle().manage(new io.dropwizard.lifecycle.Managed() {
            @Override
            public void stop() {
                client.close();
            }
        });
        return client;
    }

    /**
     * Builds the pooled client for commands and publishes (the stream reader has a connection of its own); the
     * caller closes it.
     */
    public RedisClient build() {
        return connections().newPooledClient(maxConnections, connectTimeout.toJavaDuration());
    }

    /**
     * Builds the node's pooled client of the configured topology (one Redis, Sentinel or Cluster), as
     * {@link #build(Environment)} does; the caller closes it.
     */
    public UnifiedJedis newClient() {
        return connections().newClient(maxConnections, poolWait.toJavaDuration(), true);
    }

    /** The URI with the password of its user info replaced by {@code ****}, for logs. */
    public String maskedUri() {
        return RedisAddress.mask(uri);
    }
}
