package io.imcore.service.support;

import io.imcore.client.EventBus;
import io.imcore.client.ImClient;
import io.imcore.protocol.PresenceEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * Records every online and offline event of an {@link ImClient#eventBus event bus}, in arrival order.
 * Events on {@code <P>events} arrive in the order the node published them, so an event awaited after
 * another proves the earlier one had its chance to arrive.
 */
public final class PresenceRecorder implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<PresenceEvent> events = new CopyOnWriteArrayList<>();
    private final EventBus bus;

    private PresenceRecorder(ImClient client) {
        this.bus = client.eventBus(events::add, events::add);
    }

    /** Subscribes through {@code client} and returns once the subscription is live. */
    public static PresenceRecorder start(ImClient client) {
        PresenceRecorder recorder = new PresenceRecorder(client);
        try {
            if (!recorder.bus.awaitSubscribed(WAIT)) {
                throw new AssertionError("event bus did not subscribe within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return recorder;
    }

    /** Every event received so far about {@code clientId}, in arrival order. */
    public List<PresenceEvent> of(String clientId) {
        return events.stream()
                .filter(event -> event.clientId().equals(clientId))
                .toList();
    }

    /** Every event of {@code type} received so far about {@code clientId}. */
    public List<PresenceEvent> of(String type, String clientId) {
        return of(clientId).stream().filter(event -> event.type().equals(type)).toList();
    }

    /** Waits (up to 10 s) until {@code count} events of {@code type} about {@code clientId} arrived; returns the last. */
    public PresenceEvent await(String type, String clientId, int count) {
        Awaitility.await(type + " event #" + count + " of " + clientId)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> of(type, clientId).size() >= count);
        return of(type, clientId).get(count - 1);
    }

    /** Waits (up to 10 s) for the first event of {@code type} about {@code clientId}. */
    public PresenceEvent awaitFirst(String type, String clientId) {
        return await(type, clientId, 1);
    }

    @Override
    public void close() {
        bus.close();
    }
}
