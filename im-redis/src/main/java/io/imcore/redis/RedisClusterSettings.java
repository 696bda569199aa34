package io.imcore.redis;

import java.util.List;
import redis.clients.jedis.HostAndPort;

/**
 * A Redis Cluster: some of its nodes to learn the rest from (seeds), and who to be there (ACL user and password,
 * TLS). A cluster has database 0 only. {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * RedisClusterSettings cluster = RedisClusterSettings.of("redis.cluster",
 *         List.of("10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379"), "app", "s3cret", false);
 * }</pre>
 *
 * @param nodes    the seeds
 * @param user     the ACL user, or null for {@code default}
 * @param password the password, or null for none
 * @param ssl      whether to use TLS
 */
public record RedisClusterSettings(List<HostAndPort> nodes, String user, String password, boolean ssl) {
    /**
     * Checks and builds the settings.
     *
     * @param name  what the section is called where the user wrote it ({@code redis.cluster}), the start of every
     *              error message
     * @param nodes the seeds, each {@code host:port}
     * @throws IllegalArgumentException naming the first problem, in one line, never a password
     */
    public static RedisClusterSettings of(String name, List<String> nodes, String user, String password, boolean ssl) {
        if (user != null && password == null) {
            throw new IllegalArgumentException(name + ".user needs a password");
        }
        return new RedisClusterSettings(RedisNodes.parse(name + ".nodes", nodes), user, password, ssl);
    }

    /** The settings without the password. */
    @Override
    public String toString() {
        return "cluster " + nodes + (user == null ? "" : " user " + user) + (ssl ? " tls" : "");
    }
}
