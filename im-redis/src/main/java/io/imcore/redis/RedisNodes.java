package io.imcore.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/** Parses the {@code host:port} lists of the Sentinel and Cluster settings. */
final class RedisNodes {
    private RedisNodes() {}

    /**
     * Parses {@code nodes}.
     *
     * @param name what the list is called where the user wrote it, the start of every error message
     * @throws IllegalArgumentException naming the first bad entry
     */
    static List<HostAndPort> parse(String name, List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException(name + " must list at least one host:port");
        }
        List<HostAndPort> parsed = new ArrayList<>(nodes.size());
        Set<HostAndPort> seen = new HashSet<>();
        for (String node : nodes) {
            HostAndPort address = parseOne(name, node);
            if (!seen.add(address)) {
                throw new IllegalArgumentException(name + " lists '" + node + "' twice");
            }
            parsed.add(address);
        }
        return List.copyOf(parsed);
    }

    private static HostAndPort parseOne(String name, String node) {
        String trimmed = node == null ? "" : node.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1 || trimmed.contains("/")) {
            throw new IllegalArgumentException(name + " entry '" + node + "' must be host:port");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " entry '" + node + "' must be host:port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " entry '" + node + "' has no valid port (1 to 65535)");
        }
        return new HostAndPort(host, port);
    }
}
