package io.imcore.example.core;

import io.dropwizard.lifecycle.Managed;
import io.imcore.client.EventBus;
import io.imcore.client.ImException;
import io.imcore.client.ImHelper;
import io.imcore.protocol.PresenceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the nodes' online/offline events ({@link ImHelper#eventBus}) and tells the chat's pages with a
 * channel message ({@code {"kind":"presence",…}}, sender {@code ""}) to the lobby, the channel every page joins:
 * the business side decides who hears about presence. Not a broadcast ({@code sendBroadcastMessage}), which would
 * reach every terminal of every application that shares the cluster.
 */
public final class PresenceNotices implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceNotices.class);

    private final String lobby;
    private EventBus bus;

    /** @param lobby the channel every page of the chat joins */
    public PresenceNotices(String lobby) {
        this.lobby = lobby;
    }

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

    private void announce(PresenceEvent event, String status) {
        LOG.info("client={} is {} ({})", event.clientId(), status, event.reason());
        try {
            ImHelper.sendChanMessage("", lobby, ChatData.presence(event.clientId(), status, event.reason()));
        } catch (ImException e) {
            LOG.warn("could not announce client={} {}: {}", event.clientId(), status, e.toString());
        }
    }
}
