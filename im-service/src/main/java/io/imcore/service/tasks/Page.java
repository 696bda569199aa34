package io.imcore.service.tasks;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One page of a sorted listing: {@code offset} (default 0) and {@code limit} (default 100, at most 10000).
 *
 * @param offset items skipped
 * @param limit  most items returned
 */
record Page(int offset, int limit) {
    static final String OFFSET = "offset";
    static final String LIMIT = "limit";
    static final Set<String> PARAMETERS = Set.of(OFFSET, LIMIT);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    /** {@link #PARAMETERS} and {@code more}. */
    static Set<String> parametersAnd(String... more) {
        Set<String> all = new HashSet<>(PARAMETERS);
        all.addAll(List.of(more));
        return all;
    }

    /** The page asked for in {@code params}. */
    static Page of(TaskParams params) {
        return new Page(
                params.integer(OFFSET, 0, 0, Integer.MAX_VALUE), params.integer(LIMIT, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    /** The items of this page. */
    <T> List<T> of(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }
}
