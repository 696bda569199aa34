package io.imcore.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code redis://} or {@code rediss://} URI:
 * {@code redis[s]://[[user]:password@]host[:port][/database]}; the port defaults to 6379, the database to 0.
 */
record RedisAddress(String host, int port, String user, String password, int database, boolean ssl) {
    static final int DEFAULT_PORT = 6379;

    /** Parses {@code uri}; throws {@link IllegalArgumentException} naming the problem (never the password). */
    static RedisAddress parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("redisUri must not be empty");
        }
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redisUri is not a valid URI: " + e.getReason());
        }
        String scheme = parsed.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("redisUri must start with redis:// or rediss://");
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw new IllegalArgumentException("redisUri must name a host, as in redis://127.0.0.1:6379");
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException("redisUri must not have a query or a fragment");
        }
        String user = null;
        String password = null;
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        "redisUri user info must be user:password or :password (without a user)");
            }
            user = colon == 0 ? null : decode(userInfo.substring(0, colon));
            password = decode(userInfo.substring(colon + 1));
        }
        int database = 0;
        String path = parsed.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("redisUri path must be a database number, as in /0");
            }
            if (database < 0) {
                throw new IllegalArgumentException("redisUri database must not be negative");
            }
        }
        int port = parsed.getPort() == -1 ? DEFAULT_PORT : parsed.getPort();
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new RedisAddress(host, port, user, password, database, "rediss".equalsIgnoreCase(scheme));
    }

    /** {@code uri} with the password of its user info replaced by {@code ****}. */
    static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            return uri;
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = uri.length();
        for (int i = authorityStart; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        int at = uri.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return uri;
        }
        String userInfo = uri.substring(authorityStart, at);
        int colon = userInfo.indexOf(':');
        String masked = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
        return uri.substring(0, authorityStart) + masked + uri.substring(at);
    }

    @Override
    public String toString() {
        return (ssl ? "rediss" : "redis") + "://" + (user == null ? "" : user + "@") + host + ":" + port + "/"
                + database;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
