package io.imcore.bench;

import io.imcore.protocol.Servers;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hosts a run would send traffic to, and the guard that refuses any that is not a loopback address unless
 * {@code --allow-remote} says so: a load test aimed at the wrong host by a typo must not start.
 */
final class Targets {
    private Targets() {}

    /** Throws {@link IllegalArgumentException} naming the first host that is not loopback. */
    static void requireLoopback(List<String> servers, String redisUri) {
        requireLoopback(servers, List.of(redisHost(redisUri)));
    }

    static void requireLoopback(List<String> servers, List<String> redisHosts) {
        List<String> hosts = new ArrayList<>();
        for (String entry : servers) {
            hosts.add(URI.create(Servers.connectUrl(Servers.requireValidEntry(entry)))
                    .getHost());
        }
        hosts.addAll(redisHosts);
        for (String host : hosts) {
            if (!isLoopback(host)) {
                throw new IllegalArgumentException("refusing to load " + host
                        + ": not a loopback address (pass --allow-remote to load a remote cluster)");
            }
        }
    }

    static String redisHost(String redisUri) {
        URI uri;
        try {
            uri = URI.create(redisUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--redis is not a URI: " + redisUri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--redis has no host: " + redisUri);
        }
        return uri.getHost();
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(bare);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
