package io.imcore.protocol;

import java.util.List;

/** Checks shared by the compact constructors of the wire records. */
final class Fields {
    private Fields() {}

    static String required(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return value;
    }

    static String nonEmpty(String name, String value) {
        if (required(name, value).isEmpty()) {
            throw new IllegalArgumentException("field '" + name + "' must not be empty");
        }
        return value;
    }

    static <T> T present(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return value;
    }

    static Long sequence(String name, Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException("field '" + name + "' must not be negative, was " + value);
        }
        return value;
    }

    static String sender(String from) {
        required("from", from);
        if (!from.isEmpty()) {
            Names.requireClientId(from);
        }
        return from;
    }

    static List<String> clientIds(String name, List<String> ids) {
        present(name, ids);
        ids.forEach(id -> Names.requireClientId(present(name + " element", id)));
        return List.copyOf(ids);
    }

    static List<String> channels(String name, List<String> chans) {
        present(name, chans);
        chans.forEach(chan -> Names.requireChannel(present(name + " element", chan)));
        return List.copyOf(chans);
    }

    static String oneOf(String name, String value, String a, String b) {
        if (!a.equals(value) && !b.equals(value)) {
            throw new IllegalArgumentException("field '" + name + "' must be '" + a + "' or '" + b + "', was "
                    + (value == null ? "missing" : "'" + value + "'"));
        }
        return value;
    }
}
