package io.imcore.example.core;

import io.dropwizard.lifecycle.Managed;
import io.imcore.client.EventBus;
import io.imcore.client.ImException;
import io.imcore.client.ImHelper;
import io.imcore.protocol.PresenceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the nodes' online/offline events ({@link ImHelper#eventBus}) and tells every connected page with a
 * broadcast ({@code {"kind":"presence",…}}): the business side decides who hears about presence, here everyone.
 */
public final class PresenceNotices implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceNotices.class);

    private EventBus bus;

    @Override
    public void start() {
        bus = ImHelper.eventBus(e -> announce(e, "online"), e -> announce(e, "offline"));
    }

    @Override
    public void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    private static void announce(PresenceEvent event, String status) {
        LOG.info("client={} is {} ({})", event.clientId(), status, event.reason());
        try {
            ImHelper.sendBroadcastMessage(ChatData.presence(event.clientId(), status, event.reason()));
        } catch (ImException e) {
            LOG.warn("could not announce client={} {}: {}", event.clientId(), status, e.toString());
        }
    }
}
