package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.imcore.protocol.Keys;
import io.imcore.protocol.Protocol;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import io.imcore.redis.RedisAddress;
import io.imcore.redis.RedisConnections;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/** The {@code redis:} section: where Redis is and how this node talks to it. */
public class RedisFactory {
    /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://…} for TLS. Default redis://127.0.0.1:6379. */
    @NotNull
    private String uri = "redis://127.0.0.1:6379";

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

    /** The connections to the configured Redis, named {@code im-service} in {@code CLIENT LIST}. */
    public RedisConnections connections() {
        return new RedisConnections(parsedUri(), "im-service", connectTimeout.toJavaDuration(),
                socketTimeout.toJavaDuration());
    }

    /**
     * Builds the pooled client and registers its closing with the application's lifecycle; with
     * {@code embedded} set and enabled, first registers the embedded Redis, so it starts before and stops after the rest.
     */
    public RedisClient build(Environment environment) {
        if (embedded != null && embedded.isEnabled()) {
            environment.lifecycle().manage(embedded.build(parsedUri()));
        }
        RedisClient client = build();
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

    /** The URI with the password of its user info replaced by {@code ****}, for logs. */
    public String maskedUri() {
        return RedisAddress.mask(uri);
    }
}
