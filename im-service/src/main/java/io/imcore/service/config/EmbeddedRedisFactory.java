package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imcore.redis.RedisAddress;
import io.imcore.service.lifecycle.EmbeddedRedis;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The optional {@code redis.embedded:} section: when present, the node starts a real {@code redis-server} of
 * its own (the binary shipped in the jar by {@code com.github.codemonstur:embedded-redis}) before anything
 * else and stops it last. For a first run on a machine without Redis; production uses an external Redis and
 * leaves this section out. It is never a fallback: without the section the node only uses {@code redis.uri}.
 */
public class EmbeddedRedisFactory {
    /** Default port: not Redis's own 6379, where a Redis may already listen. */
    public static final int DEFAULT_PORT = 6380;

    /**
     * Whether to run it. Default true; false lets a command line switch a config file that has this section to an
     * external Redis: {@code -Ddw.redis.embedded.enabled=false -Ddw.redis.uri=redis://host:6379}.
     */
    private boolean enabled = true;

    /** Port the embedded server listens on; {@code redis.uri} must name it. Default 6380. */
    @Min(1)
    @Max(65535)
    private int port = DEFAULT_PORT;

    /** Address the embedded server binds to; {@code redis.uri} must name it. Default 127.0.0.1 (loopback only). */
    @NotBlank
    private String bind = "127.0.0.1";

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public int getPort() {
        return port;
    }

    @JsonProperty
    public void setPort(int port) {
        this.port = port;
    }

    @JsonProperty
    public String getBind() {
        return bind;
    }

    @JsonProperty
    public void setBind(String bind) {
        this.bind = bind;
    }

    /**
     * The embedded server, not started yet.
     *
     * @param redisUri the node's {@code redis.uri}, which must point at this server
     * @throws IllegalArgumentException when {@code redis.uri} names another host or port
     */
    public EmbeddedRedis build(RedisAddress redisUri) {
        int uriPort = redisUri.port();
        if (uriPort != port || !sameHost(redisUri.host(), bind)) {
            throw new IllegalArgumentException("redis.uri '" + (redisUri.ssl() ? "rediss" : "redis") + "://"
                    + redisUri.host() + ":" + uriPort + "' must point at the embedded Redis (redis.embedded: bind "
                    + bind + ", port " + port + "), e.g. redis://" + bind + ":" + port
                    + "; to use an external Redis, remove redis.embedded or set redis.embedded.enabled to false");
        }
        if (redisUri.ssl()) {
            throw new IllegalArgumentException("redis.embedded does not speak TLS: use redis:// in redis.uri");
        }
        return new EmbeddedRedis(bind, port);
    }

    private static boolean sameHost(String uriHost, String bindHost) {
        if (uriHost == null) {
            return false;
        }
        if (uriHost.equalsIgnoreCase(bindHost)) {
            return true;
        }
        try {
            InetAddress a = InetAddress.getByName(uriHost);
            InetAddress b = InetAddress.getByName(bindHost);
            return a.equals(b) || (a.isLoopbackAddress() && b.isLoopbackAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
