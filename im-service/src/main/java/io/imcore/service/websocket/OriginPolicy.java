package io.imcore.service.websocket;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code Origin} header values may open the endpoint: any when the list is empty, else exactly the
 * listed ones (compared ignoring case and a trailing {@code /}); a request without {@code Origin} is then
 * refused too, since every browser sends one.
 */
final class OriginPolicy {
    private final Set<String> allowed;

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    }

    boolean allows(String origin) {
        return allowed.isEmpty() || (origin != null && allowed.contains(normalize(origin)));
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
