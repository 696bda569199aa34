package io.imcore.redis;

import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;

/**
 * Makes the Jedis clients of one Redis {@link RedisAddress}: a pooled client for commands and single connections
 * for subscribers, with the same timeouts, credentials (ACL user and password), database, client name and TLS
 * (certificate and host name verified against the JVM's trust store).
 *
 * <pre>{@code
 * RedisConnections connections = new RedisConnections(RedisAddress.parse("redisUri", uri), "im-client",
 *         Duration.ofSeconds(2), Duration.ofSeconds(2));
 * RedisClient redis = connections.newPooledClient(8, Duration.ofSeconds(4));
 * }</pre>
 */
public final class RedisConnections {
    private final HostAndPort hostAndPort;
    private final JedisClientConfig config;
    private final JedisClientConfig subscriberConfig;

    /**
     * @param address        where Redis is and who to be there
     * @param clientName     the name {@code CLIENT LIST} shows for every connection
     * @param connectTimeout time allowed to open a connection
     * @param socketTimeout  time allowed for one command's answer
     */
    public RedisConnections(RedisAddress address, String clientName, Duration connectTimeout,
                            Duration socketTimeout) {
        this.hostAndPort = new HostAndPort(address.host(), address.port());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) connectTimeout.toMillis())
                .socketTimeoutMillis((int) socketTimeout.toMillis())
                .database(address.database())
                .clientName(clientName);
        if (address.ssl()) {
            builder.sslOptions(SslOptions.defaults());
        }
        if (address.password() != null) {
            builder.user(address.user()).password(address.password());
        }
        this.config = builder.build();
        // a plain Jedis connection cannot negotiate RESP3 (unless told not to try, it warns and falls back to RESP2)
        this.subscriberConfig = DefaultJedisClientConfig.builder().from(config).serverDefaultProtocol()
                .autoNegotiateProtocol(false).build();
    }

    /**
     * The pooled client for ordinary commands; the caller closes it. Idle connections are PINGed every second,
     * so those a Redis restart broke are dropped before use.
     *
     * @param maxConnections most connections in the pool
     * @param maxWait        longest wait to borrow a connection when all are in use
     */
    public RedisClient newPooledClient(int maxConnections, Duration maxWait) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setMaxWait(maxWait);
        pool.setBlockWhenExhausted(true);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        return RedisClient.builder()
                .hostAndPort(hostAndPort)
                .clientConfig(config)
                .poolConfig(pool)
                .build();
    }

    /**
     * A single, unpooled connection for a stream reader, connected (and authenticated) already; the caller
     * closes it.
     *
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when Redis cannot be reached
     */
    public Jedis newReaderConnection() {
        return new Jedis(hostAndPort, subscriberConfig);
    }

    /** {@code host:port}. */
    @Override
    public String toString() {
        return hostAndPort.toString();
    }
}
