package io.imcore.redis;

import java.util.List;
import redis.clients.jedis.HostAndPort;

/**
 * A master monitored by Redis Sentinel: its name, the sentinels to ask, and who to be on the master (ACL user and
 * password, database, TLS) and on the sentinels (their own optional user and password; TLS as on the master).
 * {@link #toString()} never shows a password.
 *
 * <pre>{@code
 * RedisSentinelSettings sentinel = RedisSentinelSettings.of("redis.sentinel", "imcore",
 *         List.of("10.0.0.1:26379", "10.0.0.2:26379", "10.0.0.3:26379"), "app", "s3cret", 0, false, null, null);
 * }</pre>
 *
 * @param masterName       the name the sentinels monitor the master by
 * @param nodes            the sentinels
 * @param user             the ACL user on the master and replicas, or null for {@code default}
 * @param password         their password, or null for none
 * @param database         the database number
 * @param ssl              whether to use TLS, to the master and to the sentinels
 * @param sentinelUser     the ACL user on the sentinels, or null for {@code default}
 * @param sentinelPassword the sentinels' password, or null for none
 */
public record RedisSentinelSettings(
        String masterName,
        List<HostAndPort> nodes,
        String user,
        String password,
        int database,
        boolean ssl,
        String sentinelUser,
        String sentinelPassword) {
    /**
     * Checks and builds the settings.
     *
     * @param name what the section is called where the user wrote it ({@code redis.sentinel}), the start of
     *             every error message
     * @param nodes the sentinels, each {@code host:port}
     * @throws IllegalArgumentException naming the first problem, in one line, never a password
     */
    public static RedisSentinelSettings of(
            String name,
            String masterName,
            List<String> nodes,
            String user,
            String password,
            int database,
            boolean ssl,
            String sentinelUser,
            String sentinelPassword) {
        if (masterName == null || masterName.isBlank()) {
            throw new IllegalArgumentException(name + ".masterName must not be empty");
        }
        if (database < 0) {
            throw new IllegalArgumentException(name + ".database must not be negative");
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException(name + ".user needs a password");
        }
        if (sentinelUser != null && sentinelPassword == null) {
            throw new IllegalArgumentException(name + ".sentinelUser needs a sentinelPassword");
        }
        return new RedisSentinelSettings(
                masterName.trim(),
                RedisNodes.parse(name + ".nodes", nodes),
                user,
                password,
                database,
                ssl,
                sentinelUser,
                sentinelPassword);
    }

    /** The settings without passwords. */
    @Override
    public String toString() {
        return "sentinel " + masterName + "@" + nodes + (user == null ? "" : " user " + user) + (ssl ? " tls" : "")
                + " db " + database;
    }
}
