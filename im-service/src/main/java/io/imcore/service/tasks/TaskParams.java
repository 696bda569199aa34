package io.imcore.service.tasks;

import io.dropwizard.util.Duration;
import io.imcore.protocol.Names;
import io.imcore.protocol.Servers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parameters of one task call, checked: each name must be one the task takes (or {@code format}) and be
 * given once. Every getter throws {@link TaskArgumentException} with a one-line reason for a missing or invalid
 * value, so a task reads all its parameters before it changes anything.
 */
public final class TaskParams {
    /** The parameter every task takes: {@code json} (default) or {@code text}. */
    public static final String FORMAT = "format";

    private static final int MAX_ECHO = 60;

    private final Map<String, String> values;

    private TaskParams(Map<String, String> values) {
        this.values = values;
    }

    /** Checks the raw query/form parameters of a call of {@code task}, which takes {@code allowed}. */
    public static TaskParams of(String task, Map<String, List<String>> raw, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : new TreeMap<>(raw).entrySet()) {
            String name = parameter.getKey();
            if (!allowed.contains(name) && !FORMAT.equals(name)) {
                Set<String> names = new TreeSet<>(allowed);
                names.add(FORMAT);
                throw new TaskArgumentException(
                        "unknown parameter '" + echo(name) + "': " + task + " takes " + String.join(", ", names));
            }
            if (parameter.getValue().size() != 1) {
                throw new TaskArgumentException(
                        "parameter '" + name + "' given " + parameter.getValue().size() + " times; give it once");
            }
            values.put(name, parameter.getValue().get(0));
        }
        return new TaskParams(values);
    }

    /** True for {@code format=text}, false for {@code format=json} or no format. */
    public boolean textFormat() {
        String format = values.getOrDefault(FORMAT, "json");
        return switch (format) {
            case "json" -> false;
            case "text" -> true;
            default -> throw new TaskArgumentException("format must be json or text, was '" + echo(format) + "'");
        };
    }

    /** The value of {@code name}, which must be present and non-empty. */
    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new TaskArgumentException("missing parameter '" + name + "'");
        }
        if (value.isEmpty()) {
            throw new TaskArgumentException("parameter '" + name + "' must not be empty");
        }
        return value;
    }

    /** The value of {@code name}, or null when absent. */
    public String optional(String name) {
        return values.get(name);
    }

    /** A valid client id in {@code name} (PROTOCOL.md section 1). */
    public String clientId(String name) {
        String value = required(name);
        try {
            return Names.requireClientId(value);
        } catch (IllegalArgumentException e) {
            throw new TaskArgumentException(name + ": " + e.getMessage());
        }
    }

    /** A valid channel name in {@code name} (PROTOCOL.md section 1). */
    public String channel(String name) {
        String value = required(name);
        try {
            return Names.requireChannel(value);
        } catch (IllegalArgumentException e) {
            throw new TaskArgumentException(name + ": " + e.getMessage());
        }
    }

    /** An integer in {@code [min, max]}, {@code fallback} when absent. */
    public int integer(String name, int fallback, int min, int max) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TaskArgumentException(name + " must be an integer, was '" + echo(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw new TaskArgumentException(name + " must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    /** A duration such as {@code 30s} or {@code 2 minutes} in {@code [min, max]}, {@code fallback} when absent. */
    public java.time.Duration duration(String name, Duration fallback, Duration min, Duration max) {
        String value = values.get(name);
        Duration parsed = fallback;
        if (value != null) {
            try {
                parsed = Duration.parse(value.trim());
            } catch (IllegalArgumentException e) {
                throw new TaskArgumentException(
                        name + " must be a duration such as 30s or 2m, was '" + echo(value) + "'");
            }
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new TaskArgumentException(name + " must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed.toJavaDuration();
    }

    /** An entry of {@code servers} in {@code name}, or null when absent. */
    public String serverEntry(String name, Servers servers) {
        String value = values.get(name);
        if (value != null && servers != null && !servers.contains(value)) {
            throw new TaskArgumentException(
                    name + " must be one of " + servers.entries() + ", was '" + echo(value) + "'");
        }
        return value;
    }

    /** {@code value} made safe to quote in a one-line reason: control characters as '?', at most 60 chars. */
    static String echo(String value) {
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < value.length() && i < MAX_ECHO; i++) {
            char c = value.charAt(i);
            safe.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > MAX_ECHO ? safe + "…" : safe.toString();
    }
}
