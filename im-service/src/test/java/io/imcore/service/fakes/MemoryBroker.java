package io.imcore.service.fakes;

import io.imcore.service.broker.Broker;
import java.util.ArrayList;
import java.util.List;

/** A {@link Broker} that records what was published, for unit tests; asynchronous publishes happen at once. */
public final class MemoryBroker implements Broker {
    private final List<Published> published = new ArrayList<>();

    @Override
    public synchronized void publish(String channel, String payload) {
        published.add(new Published(channel, payload));
    }

    @Override
    public void publishAsync(String channel, String payload) {
        publish(channel, payload);
    }

    /** Everything published so far, oldest first. */
    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    /** One publish. */
    public record Published(String channel, String payload) {}
}
