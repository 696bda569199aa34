package io.imcore.client;

import io.imcore.protocol.Protocol;
import io.imcore.protocol.Servers;
import io.imcore.redis.RedisAddress;
import java.time.Duration;
import java.util.List;

/**
 * The immutable configuration of an {@link ImClient}, made with {@link #builder()} and validated by
 * {@link Builder#build()}.
 *
 * <pre>{@code
 * ImClientOptions options = ImClientOptions.builder()
 *         .redisUri("redis://:secret@127.0.0.1:6379/0")
 *         .build();                       // routes over every live node; .servers(...) restricts them
 * }</pre>
 *
 * <p>Defaults: {@code redisUri} {@value #DEFAULT_REDIS_URI}; {@code servers} none (no allow-list);
 * {@code keyPrefix} {@code "im:"}; {@code tokenTtl} 30 s; {@code nodeLease} 6 s; {@code membershipRefresh} 2 s;
 * {@code connectTimeout} 2 s;
 * {@code socketTimeout} 2 s; {@code maxConnections} 8; {@code resubscribeMaxDelay} 5 s; {@code streamMaxLen}
 * 1,500,000.
 * {@link #toString()} masks the password of the Redis URI.
 */
public final class ImClientOptions {
    /** Default Redis URI. */
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";
    /** Default lifetime of a connect token. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofSeconds(Protocol.DEFAULT_TOKEN_TTL_SECONDS);
    /** Default node lease: a node whose {@code seenAt} is older is dead. */
    public static final Duration DEFAULT_NODE_LEASE = Duration.ofSeconds(6);
    /** Default age after which the membership is read again from Redis (the nodes' {@code cluster.refreshInterval}). */
    public static final Duration DEFAULT_MEMBERSHIP_REFRESH = Duration.ofSeconds(2);
    /** Default TCP connect timeout to Redis. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default time to wait for a Redis answer. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
    /** Default size of the Redis connection pool. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    /** Default longest pause between two attempts of an {@link EventBus} to subscribe again. */
    public static final Duration DEFAULT_RESUBSCRIBE_MAX_DELAY = Duration.ofSeconds(5);
    /** Default retention of the streams this client appends to, in entries (the nodes' default too). */
    public static final long DEFAULT_STREAM_MAX_LEN = 1_500_000;
    /** Smallest retention accepted. */
    public static final long MIN_STREAM_MAX_LEN = 1000;

    private final String redisUri;
    private final RedisAddress redisAddress;
    private final Servers servers;
    private final String keyPrefix;
    private final Duration tokenTtl;
    private final Duration nodeLease;
    private final Duration membershipRefresh;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final int maxConnections;
    private final Duration resubscribeMaxDelay;
    private final long streamMaxLen;

    private ImClientOptions(Builder builder, RedisAddress address, Servers servers) {
        this.redisUri = builder.redisUri;
        this.redisAddress = address;
        this.servers = servers;
        this.keyPrefix = builder.keyPrefix;
        this.tokenTtl = builder.tokenTtl;
        this.nodeLease = builder.nodeLease;
        this.membershipRefresh = builder.membershipRefresh;
        this.connectTimeout = builder.connectTimeout;
        this.socketTimeout = builder.socketTimeout;
        this.maxConnections = builder.maxConnections;
        this.resubscribeMaxDelay = builder.resubscribeMaxDelay;
        this.streamMaxLen = builder.streamMaxLen;
    }

    /** A builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .redisUri(redisUri)
                .servers(servers == null ? null : servers.entries())
                .keyPrefix(keyPrefix)
                .tokenTtl(tokenTtl)
                .nodeLease(nodeLease)
                .membershipRefresh(membershipRefresh)
                .connectTimeout(connectTimeout)
                .socketTimeout(socketTimeout)
                .maxConnections(maxConnections)
                .resubscribeMaxDelay(resubscribeMaxDelay)
                .streamMaxLen(streamMaxLen);
    }

    /** The Redis URI as given, password included: do not log it, log {@link #toString()}. */
    public String redisUri() {
        return redisUri;
    }

    RedisAddress redisAddress() {
        return redisAddress;
    }

    /**
     * The allow-list of nodes ({@link Builder#servers}), identical to the nodes' {@code cluster.servers}; null when
     * none was given: every node with an alive lease is a member.
     */
    public Servers servers() {
        return servers;
    }

    /** The prefix of every Redis key and pub/sub channel (the nodes' {@code redis.keyPrefix}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long a token from {@link ImClient#prevConnectServer} stays valid. */
    public Duration tokenTtl() {
        return tokenTtl;
    }

    /** A node whose lease was refreshed longer ago than this is dead, and its clients offline. */
    public Duration nodeLease() {
        return nodeLease;
    }

    /** The membership is read again from Redis when the last reading is older than this. */
    public Duration membershipRefresh() {
        return membershipRefresh;
    }

    /** TCP connect timeout to Redis. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long a Redis command may wait for its answer. */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** Size of the Redis connection pool (an {@link EventBus} uses one more connection of its own). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Longest pause between two attempts of an {@link EventBus} to subscribe again after a connection loss. */
    public Duration resubscribeMaxDelay() {
        return resubscribeMaxDelay;
    }

    /**
     * Retention of the streams this client appends to ({@code XADD ... MAXLEN ~ streamMaxLen}): a node or event
     * bus further behind than this many entries loses the oldest unread ones and reports a gap.
     */
    public long streamMaxLen() {
        return streamMaxLen;
    }

    @Override
    public String toString() {
        return "ImClientOptions{redisUri=" + RedisAddress.mask(redisUri)
                + ", servers=" + servers
                + ", keyPrefix='" + keyPrefix + "'"
                + ", tokenTtl=" + tokenTtl
                + ", nodeLease=" + nodeLease
                + ", membershipRefresh=" + membershipRefresh
                + ", connectTimeout=" + connectTimeout
                + ", socketTimeout=" + socketTimeout
                + ", maxConnections=" + maxConnections
                + ", resubscribeMaxDelay=" + resubscribeMaxDelay
                + ", streamMaxLen=" + streamMaxLen + "}";
    }

    /** Builds {@link ImClientOptions}; not thread-safe. Every setter documents its default. */
    public static final class Builder {
        private String redisUri = DEFAULT_REDIS_URI;
        private List<String> servers;
        private String keyPrefix = Protocol.DEFAULT_KEY_PREFIX;
        private Duration tokenTtl = DEFAULT_TOKEN_TTL;
        private Duration nodeLease = DEFAULT_NODE_LEASE;
        private Duration membershipRefresh = DEFAULT_MEMBERSHIP_REFRESH;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration resubscribeMaxDelay = DEFAULT_RESUBSCRIBE_MAX_DELAY;
        private long streamMaxLen = DEFAULT_STREAM_MAX_LEN;

        private Builder() {
        }

        /**
         * The Redis to use: {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for
         * TLS; port 6379 and database 0 by default. Default {@value ImClientOptions#DEFAULT_REDIS_URI}.
         */
        public Builder redisUri(String redisUri) {
            this.redisUri = redisUri;
            return this;
        }

        /**
         * The allow-list of nodes ({@code host:port} or {@code ws(s)://} base URLs, order irrelevant), the same as
         * the nodes' {@code cluster.servers}: only these can be members. Default none (null or empty): every node
         * with an alive lease in Redis is a member.
         */
        public Builder servers(List<String> servers) {
            this.servers = servers;
            return this;
        }

        /** The key and channel prefix, may be empty. Default {@code "im:"}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** Lifetime of a connect token, a whole number of seconds, at least 1 s. Default 30 s. */
        public Builder tokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
            return this;
        }

        /** Node lease, positive; must match the nodes' {@code cluster.lease}. Default 6 s. */
        public Builder nodeLease(Duration nodeLease) {
            this.nodeLease = nodeLease;
            return this;
        }

        /**
         * How old the membership read from Redis may get before it is read again, positive; like the nodes'
         * {@code cluster.refreshInterval}. Default 2 s.
         */
        public Builder membershipRefresh(Duration membershipRefresh) {
            this.membershipRefresh = membershipRefresh;
            return this;
        }

        /** TCP connect timeout to Redis, 1 ms or more. Default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Time to wait for a Redis answer, 1 ms or more. Default 2 s. */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /** Size of the Redis connection pool, at least 1. Default 8. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** Longest pause between two subscribe attempts of an {@link EventBus}, at least 100 ms. Default 5 s. */
        public Builder resubscribeMaxDelay(Duration resubscribeMaxDelay) {
            this.resubscribeMaxDelay = resubscribeMaxDelay;
            return this;
        }

        /**
         * Retention of the streams this client appends to, in entries, at least 1000; should match the nodes'
         * {@code streams.maxLen}. Default 1,500,000.
         */
        public Builder streamMaxLen(long streamMaxLen) {
            this.streamMaxLen = streamMaxLen;
            return this;
        }

        /**
         * Validates every value and builds the options.
         *
         * @throws ImInvalidArgumentException naming the first invalid value
         */
        public ImClientOptions build() {
            RedisAddress address;
            Servers parsedServers;
            try {
                address = RedisAddress.parse("redisUri", redisUri);
                parsedServers = servers == null || servers.isEmpty() ? null : Servers.of(servers);
            } catch (IllegalArgumentException e) {
                throw new ImInvalidArgumentException(e.getMessage(), e);
            }
            if (keyPrefix == null) {
                throw new ImInvalidArgumentException("keyPrefix must not be null (use \"\" for none)");
            }
            requirePositive("tokenTtl", tokenTtl);
            if (tokenTtl.getNano() != 0) {
                throw new ImInvalidArgumentException(
                        "tokenTtl must be a whole number of seconds (Redis SET EX), was " + tokenTtl);
            }
            requirePositive("nodeLease", nodeLease);
            requirePositive("membershipRefresh", membershipRefresh);
            requireMillis("connectTimeout", connectTimeout);
            requireMillis("socketTimeout", socketTimeout);
            if (maxConnections < 1) {
                throw new ImInvalidArgumentException("maxConnections must be at least 1, was " + maxConnections);
            }
            requirePositive("resubscribeMaxDelay", resubscribeMaxDelay);
            if (resubscribeMaxDelay.compareTo(EventBus.INITIAL_RETRY_DELAY) < 0) {
                throw new ImInvalidArgumentException("resubscribeMaxDelay must be at least "
                        + EventBus.INITIAL_RETRY_DELAY.toMillis() + " ms, was " + resubscribeMaxDelay);
            }
            if (streamMaxLen < MIN_STREAM_MAX_LEN) {
                throw new ImInvalidArgumentException("streamMaxLen must be at least " + MIN_STREAM_MAX_LEN
                        + ", was " + streamMaxLen);
            }
            return new ImClientOptions(this, address, parsedServers);
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null) {
                throw new ImInvalidArgumentException(name + " must not be null");
            }
            if (value.isNegative() || value.isZero()) {
                throw new ImInvalidArgumentException(name + " must be positive, was " + value);
            }
        }

        private static void requireMillis(String name, Duration value) {
            requirePositive(name, value);
            if (value.toMillis() < 1 || value.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new ImInvalidArgumentException(
                        name + " must be between 1 ms and " + Integer.MAX_VALUE + " ms, was " + value);
            }
        }
    }
}
