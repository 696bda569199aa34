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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/** The {@code redis:} section: where Redis is and how this node talks to it. */
public class RedisFactory {
    /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://…} for TLS. Default redis://127.0.0.1:6379. */
    @NotNull
    private String uri = "redis://127.0.0.1:6379";

    /** Written in front of every key and pub/sub channel. Default {@code im:}. */
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

    /** Most pooled connections for commands and publishes (the subscriber takes one more). Default 16. */
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
    public URI parsedUri() {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redis.uri '" + maskedUri() + "' is not a valid URI");
        }
        if (!JedisURIHelper.isValid(parsed) || parsed.getHost() == null) {
            throw new IllegalArgumentException("redis.uri '" + maskedUri()
                    + "' must look like redis://host:port or rediss://host:port");
        }
        return parsed;
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

    /** Builds the pooled client; the caller closes it. */
    public RedisClient build() {
        URI parsed = parsedUri();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) connectTimeout.toMilliseconds())
                .socketTimeoutMillis((int) socketTimeout.toMilliseconds())
                .ssl(JedisURIHelper.isRedisSSLScheme(parsed))
                .clientName("im-service");
        String password = JedisURIHelper.getPassword(parsed);
        if (password != null) {
            config.user(JedisURIHelper.getUser(parsed)).password(password);
        }
        if (JedisURIHelper.hasDbIndex(parsed)) {
            config.database(JedisURIHelper.getDBIndex(parsed));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections + 1);
        pool.setMaxIdle(maxConnections + 1);
        pool.setMaxWait(connectTimeout.toJavaDuration());
        // PING idle connections every second so those broken by a Redis restart are dropped before use
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(java.time.Duration.ofSeconds(1));
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(parsed))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    /** The URI with the password of its user info (up to the last {@code @}) replaced by {@code ****}, for logs. */
    public String maskedUri() {
        int authority = uri.indexOf("://");
        if (authority < 0) {
            return uri.indexOf('@') < 0 ? uri : "****" + uri.substring(uri.lastIndexOf('@'));
        }
        authority += 3;
        int end = uri.length();
        for (int i = authority; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int at = uri.lastIndexOf('@', end - 1);
        if (at < authority) {
            return uri;
        }
        int colon = uri.indexOf(':', authority);
        String user = colon >= 0 && colon < at ? uri.substring(authority, colon) + ":" : "";
        return uri.substring(0, authority) + user + "****" + uri.substring(at);
    }
}
