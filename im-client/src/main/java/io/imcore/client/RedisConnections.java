package io.imcore.client;

import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;

/** Builds the Jedis clients of an {@link ImClient} from its options: timeouts, credentials, TLS, pool size. */
final class RedisConnections {
    private final HostAndPort hostAndPort;
    private final JedisClientConfig config;
    private final JedisClientConfig subscriberConfig;
    private final int maxConnections;
    private final Duration maxWait;

    RedisConnections(ImClientOptions options) {
        RedisAddress address = options.redisAddress();
        this.hostAndPort = new HostAndPort(address.host(), address.port());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                .socketTimeoutMillis((int) options.socketTimeout().toMillis())
                .database(address.database())
                .clientName("im-client");
        if (address.ssl()) {
            builder.sslOptions(SslOptions.defaults()); // TLS, certificate and host name verified (JVM trust store)
        }
        if (address.password() != null) {
            builder.user(address.user()).password(address.password());
        }
        this.config = builder.build();
        // a plain Jedis connection cannot negotiate RESP3 (it warns and falls back): speak the server default
        this.subscriberConfig = DefaultJedisClientConfig.builder().from(config).serverDefaultProtocol().build();
        this.maxConnections = options.maxConnections();
        this.maxWait = options.connectTimeout().plus(options.socketTimeout());
    }

    /** The pooled client for ordinary commands; borrowing waits at most connect + socket timeout. */
    RedisClient newPooledClient() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setMaxWait(maxWait);
        pool.setBlockWhenExhausted(true);
        // PING idle connections every second so those broken by a Redis restart are dropped before use
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        return RedisClient.builder()
                .hostAndPort(hostAndPort)
                .clientConfig(config)
                .poolConfig(pool)
                .build();
    }

    /**
     * A single, unpooled connection for a subscriber, connected (and authenticated) already.
     *
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when Redis cannot be reached
     */
    Jedis newSubscriberConnection() {
        return new Jedis(hostAndPort, subscriberConfig);
    }

    @Override
    public String toString() {
        return hostAndPort.toString();
    }
}
