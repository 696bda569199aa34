package io.imcore.service.node;

import com.codahale.metrics.Counter;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.redis.Membership;
import io.imcore.service.config.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the clients whose home is no longer this node after the membership changed (a node joined): each is
 * closed with 1001 ({@code rebalance}) so that its terminal asks the backend again and lands on its new home. The
 * closes are spread evenly over {@code cluster.rebalancePeriod}, and each client's home is checked again when
 * its turn comes (the membership may have changed back). Nothing moves while this node is not a member itself
 * (its view not read yet, or it is leaving).
 */
public final class Rebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);

    private final Node node;
    private final Cluster cluster;
    private final ScheduledExecutorService scheduler;
    private final Counter movedOut;

    /** @param movedOut counts the clients closed to move ({@code im.clients.moved.out}) */
    public Rebalancer(Node node, ScheduledExecutorService scheduler, Counter movedOut) {
        this.node = node;
        this.cluster = node.cluster();
        this.scheduler = scheduler;
        this.movedOut = movedOut;
    }

    /** Listens to this node's view. */
    public void install() {
        cluster.view().onChange(this::membersChanged);
    }

    void membersChanged(Membership before, Membership after) {
        if (!after.isMember(cluster.self()) || node.isShuttingDown()) {
            return;
        }
        List<String> moving = node.hub().clientIds().stream()
                .filter(clientId -> !cluster.self().equals(after.home(clientId)))
                .toList();
        if (moving.isEmpty()) {
            return;
        }
        Duration period = cluster.rebalancePeriod();
        LOG.info(
                "members {} -> {}: moving {} clients of node={} to their new homes over {}",
                before.members(),
                after.members(),
                moving.size(),
                cluster.self(),
                period);
        for (int i = 0; i < moving.size(); i++) {
            String clientId = moving.get(i);
            long delay = period.toMillis() * i / moving.size();
            scheduler.schedule(() -> move(clientId), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void move(String clientId) {
        try {
            if (node.isShuttingDown()
                    || cluster.owns(clientId)
                    || node.hub().sessions(clientId).isEmpty()) {
                return;
            }
            movedOut.inc();
            node.closeClient(
                    clientId,
                    CloseCodes.GOING_AWAY,
                    "client moved to node " + cluster.home(clientId),
                    PresenceEvent.REASON_REBALANCE);
        } catch (RuntimeException e) {
            LOG.warn("moving client={} failed: {}", clientId, e.toString());
        }
    }
}
