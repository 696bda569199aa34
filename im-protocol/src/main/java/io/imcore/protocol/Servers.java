package io.imcore.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A list of node entries (PROTOCOL.md section 1), such as the optional allow-list {@code cluster.servers}:
 * validates entries, routes a client id among them ({@link Rendezvous}) and builds connect URLs. The order of the
 * entries does not matter for routing.
 *
 * <pre>{@code
 * Servers servers = Servers.of(List.of("127.0.0.1:6001", "wss://im2.example.com"));
 * String entry = servers.entryFor("42");                 // the node that holds client 42
 * String url = servers.connectUrl(entry);                // "ws://127.0.0.1:6001/ws" or "wss://im2.example.com/ws"
 * }</pre>
 */
public final class Servers {
    private static final Pattern HOST_PORT = Pattern.compile("^[^\\s/:?#@]+:\\d{1,5}$|^\\[[0-9a-fA-F:.]+\\]:\\d{1,5}$");

    private final List<String> entries;

    private Servers(List<String> entries) {
        this.entries = entries;
    }

    /**
     * Validates and wraps {@code entries}: non-empty, no duplicates, each {@code host:port}
     * or a {@code ws://} / {@code wss://} base URL.
     *
     * @throws IllegalArgumentException naming the first problem found
     */
    public static Servers of(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("servers must list at least one node");
        }
        Set<String> seen = new HashSet<>();
        for (String entry : entries) {
            requireValidEntry(entry);
            if (!seen.add(entry)) {
                throw new IllegalArgumentException("servers lists '" + entry + "' twice");
            }
        }
        return new Servers(List.copyOf(entries));
    }

    /** Throws {@link IllegalArgumentException} unless {@code entry} is {@code host:port} or a ws(s) URL. */
    public static String requireValidEntry(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("a servers entry must not be empty");
        }
        if (entry.startsWith("ws://") || entry.startsWith("wss://")) {
            try {
                URI uri = new URI(entry);
                if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                    throw new IllegalArgumentException("servers entry '" + entry
                            + "' must be a ws:// or wss:// base URL with a host and no query");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "servers entry '" + entry + "' is not a valid URL: " + e.getMessage());
            }
            return entry;
        }
        if (!HOST_PORT.matcher(entry).matches()) {
            throw new IllegalArgumentException(
                    "servers entry '" + entry + "' must be host:port or a ws:// or wss:// base URL");
        }
        int port = Integer.parseInt(entry.substring(entry.lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("servers entry '" + entry + "' has an invalid port " + port);
        }
        return entry;
    }

    /** The entries, in order. */
    public List<String> entries() {
        return entries;
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** True when {@code entry} is one of the entries, compared as written. */
    public boolean contains(String entry) {
        return entries.contains(entry);
    }

    /** The entry that is home to {@code clientId} when every entry is a live member ({@link Rendezvous}). */
    public String entryFor(String clientId) {
        return Rendezvous.home(clientId, entries);
    }

    /** The WebSocket URL of {@code entry} without the token: {@code ws://host:port/ws} or {@code <base>/ws}. */
    public static String connectUrl(String entry) {
        if (entry.startsWith("ws://") || entry.startsWith("wss://")) {
            String base = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
            return base + "/ws";
        }
        return "ws://" + entry + "/ws";
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
