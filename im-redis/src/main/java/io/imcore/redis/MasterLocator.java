package io.imcore.redis;

import java.util.List;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Finds, at the moment it is asked, the master a dedicated connection must go to: on Sentinel the master the
 * sentinels name now ({@code SENTINEL get-master-addr-by-name}), on Redis Cluster the master that serves a key's
 * hash slot now ({@code CLUSTER NODES} of the first seed that answers). Asked again on every reconnect, so a
 * failover or a moved slot is followed.
 */
final class MasterLocator {
    private MasterLocator() {}

    /** The master the first sentinel that answers names. */
    static HostAndPort sentinelMaster(RedisSentinelSettings sentinel, JedisClientConfig sentinelConfig) {
        JedisException last = null;
        for (HostAndPort node : sentinel.nodes()) {
            try (Jedis jedis = new Jedis(node, sentinelConfig)) {
                List<String> address = jedis.sentinelGetMasterAddrByName(sentinel.masterName());
                if (address != null && address.size() == 2) {
                    return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
                }
                last = new JedisConnectionException(
                        "sentinel " + node + " knows no master named " + sentinel.masterName());
            } catch (JedisException e) {
                last = e;
            }
        }
        throw new JedisConnectionException(
                "no sentinel of " + sentinel.nodes() + " names the master " + sentinel.masterName() + ": "
                        + (last == null ? "none asked" : last.getMessage()),
                last);
    }

    /** The master that serves {@code key}'s slot, as the first seed that answers says. */
    static HostAndPort clusterMasterOf(RedisClusterSettings cluster, JedisClientConfig config, String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        JedisException last = null;
        for (HostAndPort seed : cluster.nodes()) {
            try (Jedis jedis = new Jedis(seed, config)) {
                HostAndPort owner = ownerOf(jedis.clusterNodes(), slot, seed.getHost());
                if (owner != null) {
                    return owner;
                }
                last = new JedisConnectionException("seed " + seed + " knows no master of slot " + slot);
            } catch (JedisException e) {
                last = e;
            }
        }
        throw new JedisConnectionException(
                "no seed of " + cluster.nodes() + " names the master of slot " + slot + ": "
                        + (last == null ? "none asked" : last.getMessage()),
                last);
    }

    /**
     * The master of {@code slot} in a {@code CLUSTER NODES} answer: lines of
     * {@code <id> <ip:port@bus[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot or range>…}.
     */
    static HostAndPort ownerOf(String clusterNodes, int slot, String seedHost) {
        for (String line : clusterNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being imported or migrated
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length == 1 ? from : Integer.parseInt(range[1]);
                if (slot >= from && slot <= to) {
                    String address = fields[1].substring(0, fields[1].indexOf('@'));
                    int colon = address.lastIndexOf(':');
                    String host = colon == 0 ? seedHost : address.substring(0, colon);
                    return new HostAndPort(host, Integer.parseInt(address.substring(colon + 1)));
                }
            }
        }
        return null;
    }
}
