package io.imcore.service.node;

import io.imcore.service.hub.QueueLimits;
import io.imcore.service.hub.SessionLimits;
import java.time.Duration;

/**
 * What the node needs from configuration beyond the cluster layout.
 *
 * @param heartbeat           ping interval; a connection silent for 3 × heartbeat is closed
 * @param keepOnDisconnect    keep channel memberships after a client's last connection closes
 * @param queueLimits         bounds of each connection's outbound queue
 * @param connectionLimits    connections per node and per client
 * @param shutdownGracePeriod time a clean stop spends on offline events and key removal before giving up
 * @param sessionLimits       resume window and kept frames of the client sessions
 */
public record NodeSettings(
        Duration heartbeat,
        boolean keepOnDisconnect,
        QueueLimits queueLimits,
        ConnectionLimits connectionLimits,
        Duration shutdownGracePeriod,
        SessionLimits sessionLimits) {}
