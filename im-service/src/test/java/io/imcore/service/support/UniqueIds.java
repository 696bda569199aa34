package io.imcore.service.support;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client ids and channel names that no other test of the JVM uses, so tests sharing one node and one Redis
 * never see each other's connections, events or memberships.
 */
public final class UniqueIds {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private UniqueIds() {}

    /** {@code base} followed by a number unique in this JVM, such as {@code alice-12}. */
    public static String of(String base) {
        return base + "-" + NEXT.incrementAndGet();
    }
}
