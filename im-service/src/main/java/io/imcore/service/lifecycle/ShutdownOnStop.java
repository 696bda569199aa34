package io.imcore.service.lifecycle;

import io.imcore.protocol.CloseCodes;
import io.imcore.service.node.Node;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Shuts the node down (connections closed with 1001, clients written offline) as soon as the server starts
 * stopping: before the managed objects stop, so the stream reader, the publisher and the lease keeper still run.
 */
public final class ShutdownOnStop implements LifeCycle.Listener {
    private final Node node;

    public ShutdownOnStop(Node node) {
        this.node = node;
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        node.shutdown(CloseCodes.GOING_AWAY, "node shutting down");
    }
}
