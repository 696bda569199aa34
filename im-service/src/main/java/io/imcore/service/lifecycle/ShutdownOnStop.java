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
    private final Runnable beginLeaving;

    public ShutdownOnStop(Node node) {
        this(node, () -> {});
    }

    /** @param beginLeaving run first: marks the node leaving, so that its clients' new homes are others */
    public ShutdownOnStop(Node node, Runnable beginLeaving) {
        this.node = node;
        this.beginLeaving = beginLeaving;
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        beginLeaving.run();
        node.shutdown(CloseCodes.GOING_AWAY, "node shutting down");
    }
}
