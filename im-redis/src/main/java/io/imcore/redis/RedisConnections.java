package io.imcore.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Makes the Jedis clients of one Redis {@link RedisAddress}, of a master monitored by Sentinel
 * ({@link RedisSentinelSettings}) or of a Redis Cluster ({@link RedisClusterSettings}): a pooled client for commands
 * ({@link #newClient}) and single connections for blocking stream readers, with the same timeouts,
 * credentials (ACL user and password), database, client name and TLS (certificate and host name verified against
 * the JVM's trust store). A single connection goes where it must at the moment it is made: to the master the
 * sentinels name now, or on a cluster to the master of a key's slot now; so making it again after a failure follows
 * a failover or a moved slot.
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
    private final RedisSentinelSettings sentinel;
    private final JedisClientConfig sentinelConfig;
    private final RedisClusterSettings cluster;

    /**
     * @param address        where Redis is and who to be there
     * @param clientName     the name {@code CLIENT LIST} shows for every connection
     * @param connectTimeout time allowed to open a connection
     * @param socketTimeout  time allowed for one command's answer
     */
    public RedisConnections(RedisAddress address, String clientName, Duration connectTimeout, Duration socketTimeout) {
        this(
                new HostAndPort(address.host(), address.port()),
                clientConfig(
                        clientName,
                        connectTimeout,
                        socketTimeout,
                        address.user(),
                        address.password(),
                        address.database(),
                        address.ssl()),
                null,
                null,
                null);
    }

    /**
     * Connections to the master that the sentinels of {@code sentinel} name.
     *
     * @param clientName     the name {@code CLIENT LIST} shows for every connection (not on the sentinels)
     * @param connectTimeout time allowed to open a connection, to a sentinel too
     * @param socketTimeout  time allowed for one command's answer, from a sentinel too
     */
    public RedisConnections(
            RedisSentinelSettings sentinel, String clientName, Duration connectTimeout, Duration socketTimeout) {
        this(
                sentinel.nodes().get(0),
                clientConfig(
                        clientName,
                        connectTimeout,
                        socketTimeout,
                        sentinel.user(),
                        sentinel.password(),
                        sentinel.database(),
                        sentinel.ssl()),
                sentinel,
                clientConfig(
                        null,
                        connectTimeout,
                        socketTimeout,
                        sentinel.sentinelUser(),
                        sentinel.sentinelPassword(),
                        0,
                        sentinel.ssl()),
                null);
    }

    /**
     * Connections to the masters of the Redis Cluster that {@code cluster}'s seeds belong to.
     *
     * @param clientName     the name {@code CLIENT LIST} shows for every connection
     * @param connectTimeout time allowed to open a connection
     * @param socketTimeout  time allowed for one command's answer
     */
    public RedisConnections(
            RedisClusterSettings cluster, String clientName, Duration connectTimeout, Duration socketTimeout) {
        this(
                cluster.nodes().get(0),
                clientConfig(
                        clientName,
                        connectTimeout,
                        socketTimeout,
                        cluster.user(),
                        cluster.password(),
                        0,
                        cluster.ssl()),
                null,
                null,
                cluster);
    }

    private RedisConnections(
            HostAndPort hostAndPort,
            JedisClientConfig config,
            RedisSentinelSettings sentinel,
            JedisClientConfig sentinelConfig,
            RedisClusterSettings cluster) {
        this.hostAndPort = hostAndPort;
        this.config = config;
        // a plain Jedis connection cannot negotiate RESP3 (unless told not to try, it warns and falls back to RESP2)
        this.subscriberConfig = DefaultJedisClientConfig.builder()
                .from(config)
                .serverDefaultProtocol()
                .autoNegotiateProtocol(false)
                .build();
        this.sentinel = sentinel;
        this.sentinelConfig = sentinelConfig == null
                ? null
                : DefaultJedisClientConfig.builder()
                        .from(sentinelConfig)
                        .serverDefaultProtocol()
                        .autoNegotiateProtocol(false)
                        .build();
        this.cluster = cluster;
    }

    private static JedisClientConfig clientConfig(
            String clientName,
            Duration connectTimeout,
            Duration socketTimeout,
            String user,
            String password,
            int database,
            boolean ssl) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) connectTimeout.toMillis())
                .socketTimeoutMillis((int) socketTimeout.toMillis())
                .database(database)
                .clientName(clientName);
        if (ssl) {
            builder.sslOptions(SslOptions.defaults());
        }
        if (password != null) {
            builder.user(user).password(password);
        }
        return builder.build();
    }

    /**
     * The pooled client for ordinary commands; the caller closes it. Idle connections are PINGed every second,
     * so those a Redis restart broke are dropped before use.
     *
     * @param maxConnections most connections in the pool
     * @param maxWait        longest wait to borrow a connection when all are in use
     */
    public RedisClient newPooledClient(int maxConnections, Duration maxWait) {
        if (sentinel != null || cluster != null) {
            throw new IllegalStateException("a Sentinel or Cluster client is a newClient, not a RedisClient");
        }
        return RedisClient.builder()
                .hostAndPort(hostAndPort)
                .clientConfig(config)
                .poolConfig(poolConfig(maxConnections, maxWait, false))
                .build();
    }

    /**
     * The pooled client for ordinary commands, whatever the topology; the caller closes it. On one Redis, the
     * {@link #newPooledClient}; on Sentinel a {@link RedisSentinelClient}, which follows the master the sentinels
     * name (it asks them at once: it fails when none answers); on Redis Cluster a {@link RedisClusterClient}, which
     * learns the slots from the first seed that answers and follows {@code MOVED} and failovers.
     *
     * @param maxConnections most connections in the pool (per master on a cluster)
     * @param maxWait        longest wait to borrow a connection when all are in use
     */
    public UnifiedJedis newClient(int maxConnections, Duration maxWait) {
        return newClient(maxConnections, maxWait, false);
    }

    /**
     * {@link #newClient(int, Duration)} whose pool, when {@code fair}, serves threads waiting for a connection in
     * the order they came (none overtakes one that waits longer) and hands out its idle connections oldest first:
     * under a burst of borrowers each waits about as long as the others, instead of a few waiting past
     * {@code maxWait} while later ones get through.
     *
     * @param maxConnections most connections in the pool (per master on a cluster)
     * @param maxWait        longest wait to borrow a connection when all are in use
     * @param fair           first come, first served
     */
    public UnifiedJedis newClient(int maxConnections, Duration maxWait, boolean fair) {
        ConnectionPoolConfig pool = poolConfig(maxConnections, maxWait, fair);
        if (sentinel != null) {
            return RedisSentinelClient.builder()
                    .masterName(sentinel.masterName())
                    .sentinels(new LinkedHashSet<>(sentinel.nodes()))
                    .clientConfig(config)
                    .sentinelClientConfig(sentinelConfig)
                    .poolConfig(pool)
                    .build();
        }
        if (cluster != null) {
            return RedisClusterClient.builder()
                    .nodes(new LinkedHashSet<>(cluster.nodes()))
                    .clientConfig(config)
                    .poolConfig(pool)
                    .build();
        }
        return RedisClient.builder()
                .hostAndPort(hostAndPort)
                .clientConfig(config)
                .poolConfig(pool)
                .build();
    }

    private static ConnectionPoolConfig poolConfig(int maxConnections, Duration maxWait, boolean fair) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setFairness(fair);
        pool.setLifo(!fair);
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setMaxWait(maxWait);
        pool.setBlockWhenExhausted(true);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        return pool;
    }

    /**
     * A single, unpooled connection for a stream reader, connected (and authenticated) already; the caller
     * closes it.
     *
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when Redis cannot be reached
     */
    public Jedis newReaderConnection() {
        if (cluster != null) {
            throw new IllegalStateException("on a Redis Cluster a reader connection goes to the master of its key: "
                    + "newReaderConnection(key)");
        }
        if (sentinel != null) {
            return newMasterConnection(MasterLocator.sentinelMaster(sentinel, sentinelConfig));
        }
        return new Jedis(hostAndPort, subscriberConfig);
    }

    /**
     * A single, unpooled connection for a blocking reader of {@code key} ({@code XREAD BLOCK}), connected already,
     * to the master that holds {@code key} now: on one Redis that Redis, on Sentinel the master the sentinels name,
     * on a cluster the master of the key's slot. Make it again after a failure: it follows a failover or a moved
     * slot. The caller closes it.
     *
     * @throws JedisConnectionException when that master cannot be found or reached
     */
    public Jedis newReaderConnection(String key) {
        if (sentinel != null) {
            return newMasterConnection(MasterLocator.sentinelMaster(sentinel, sentinelConfig));
        }
        if (cluster != null) {
            return newMasterConnection(MasterLocator.clusterMasterOf(cluster, subscriberConfig, key));
        }
        return new Jedis(hostAndPort, subscriberConfig);
    }

    /** {@return whether the connections go to a Redis Cluster} */
    public boolean isCluster() {
        return cluster != null;
    }

    /**
     * Which reader connection {@code key} can share: keys of one group may be read by one {@code XREAD}. On one
     * Redis and on Sentinel every key is in group 0; on a cluster the group is the key's hash slot ({@code XREAD}
     * of keys of several slots is refused with {@code CROSSSLOT}).
     */
    public int readerGroupOf(String key) {
        return cluster == null ? 0 : JedisClusterCRC16.getSlot(key);
    }

    /** A connection to {@code master} that checks it is one: a sentinel may name an old master for a moment. */
    private Jedis newMasterConnection(HostAndPort master) {
        Jedis jedis = new Jedis(master, subscriberConfig);
        try {
            Object role = jedis.role().get(0);
            if (!"master".equals(role instanceof byte[] bytes ? new String(bytes) : String.valueOf(role))) {
                throw new JedisConnectionException(master + " is no master (yet): role " + role);
            }
            return jedis;
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }

    /** {@code host:port}, or the Sentinel or Cluster settings without passwords. */
    @Override
    public String toString() {
        return sentinel != null ? sentinel.toString() : cluster != null ? cluster.toString() : hostAndPort.toString();
    }
}
