package io.imcore.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code redis://} or {@code rediss://} URI:
 * {@code redis[s]://[[user]:password@]host[:port][/database]}; the port defaults to 6379, the database to 0.
 * {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * RedisAddress address = RedisAddress.parse("redis.uri", "rediss://app:s3cret@redis.example.com:6380/2");
 * RedisAddress.mask("rediss://app:s3cret@redis.example.com:6380/2"); // "rediss://app:****@redis.example.com:6380/2"
 * }</pre>
 *
 * @param host     the host name or address (an IPv6 address without its brackets)
 * @param port     the port
 * @param user     the ACL user, or null for none (the {@code default} user)
 * @param password the password, or null for none
 * @param database the database number
 * @param ssl      whether the scheme is {@code rediss} (TLS)
 */
public record RedisAddress(String host, int port, String user, String password, int database, boolean ssl) {
    /** The port of a URI that names none. */
    public static final int DEFAULT_PORT = 6379;

    /**
     * Parses {@code uri}.
     *
     * @param name what the URI is called where the user wrote it ({@code redisUri}, {@code redis.uri}): the
     *             start of every error message, followed by the URI with its password masked
     * @throws IllegalArgumentException naming the problem, never the password, with no cause that could
     */
    public static RedisAddress parse(String name, String uri) {
        String what = uri == null ? name : name + " '" + mask(uri) + "'";
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URI");
        }
        String scheme = parsed.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)
                || parsed.getHost() == null
                || parsed.getHost().isEmpty()) {
            throw new IllegalArgumentException(what + " must look like redis://host:port or rediss://host:port");
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must not have a query or a fragment");
        }
        String user = null;
        String password = null;
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        what + " user info must be user:password or :password (without a user)");
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
                throw new IllegalArgumentException(what + " path must be a database number, as in /0");
            }
            if (database < 0) {
                throw new IllegalArgumentException(what + " database must not be negative");
            }
        }
        int port = parsed.getPort() == -1 ? DEFAULT_PORT : parsed.getPort();
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new RedisAddress(host, port, user, password, database, "rediss".equalsIgnoreCase(scheme));
    }

    /**
     * {@code uri} with the password of its user info (up to the last {@code @} before the path) replaced by
     * {@code ****}: the form logs, messages and health checks show. Without a scheme, everything up to the last
     * {@code @} is masked. Null stays null.
     */
    public static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            return uri.indexOf('@') < 0 ? uri : "****" + uri.substring(uri.lastIndexOf('@'));
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

    /** The address without its password: {@code redis[s]://[user@]host:port/database}. */
    @Override
    public String toString() {
        return (ssl ? "rediss" : "redis") + "://" + (user == null ? "" : user + "@") + host + ":" + port + "/"
                + database;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
