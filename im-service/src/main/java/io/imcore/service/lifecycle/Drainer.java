package io.imcore.service.lifecycle;

import io.dropwizard.lifecycle.Managed;
import io.imcore.protocol.CloseCodes;
import io.imcore.service.node.Node;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the node before a restart: it stops accepting connections (new upgrades get 503), closes the clients
 * it has with 1001 one after another, spread evenly over a period so that they do not all reconnect at once,
 * with one {@code offline} event (reason {@code shutdown}) each, and finally leaves the cluster (its
 * {@code nodes} entry and online hash removed). What it does per client is exactly what a clean stop does
 * ({@link Node#closeForShutdown}); a SIGTERM during a drain closes the rest at once.
 */
public final class Drainer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Drainer.class);

    private final Node node;
    private final Runnable leaveCluster;
    private final Runnable beginLeaving;
    private volatile DrainStatus status;
    private Thread thread;

    /**
     * @param leaveCluster run once every client is closed: removes this node's {@code nodes} entry and online
     *                     hash and stops refreshing them
     */
    public Drainer(Node node, Runnable leaveCluster) {
        this(node, leaveCluster, () -> {});
    }

    /** @param beginLeaving run when the drain starts: marks the node leaving, so its clients' homes are others */
    public Drainer(Node node, Runnable leaveCluster, Runnable beginLeaving) {
        this.node = node;
        this.leaveCluster = leaveCluster;
        this.beginLeaving = beginLeaving;
    }

    /** Starts a drain over {@code period}; a second call changes nothing and returns the running one's status. */
    public synchronized DrainStatus start(Duration period) {
        if (status != null) {
            return status;
        }
        node.stopAccepting(Node.DRAINING);
        beginLeaving.run();
        List<String> clients = node.hub().clientIds();
        status = new DrainStatus(
                System.currentTimeMillis(), period, clients.size(), node.hub().connectionCount());
        LOG.info("draining node={}: {} clients over {}", node.cluster().self(), clients.size(), period);
        thread = new Thread(() -> run(clients, period, status), "im-drain");
        thread.setDaemon(true);
        thread.start();
        return status;
    }

    /** The drain in progress or done, or null when none was asked for. */
    public DrainStatus status() {
        return status;
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private void run(List<String> clients, Duration period, DrainStatus drain) {
        long start = System.nanoTime();
        try {
            for (int i = 0; i < clients.size(); i++) {
                long due = start + period.toNanos() * i / clients.size();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (node.closeForShutdown(clients.get(i), CloseCodes.GOING_AWAY, "node draining")) {
                    drain.closedOne();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("drain interrupted: the node is stopping");
            return;
        }
        node.shutdown(CloseCodes.GOING_AWAY, "node draining");
        leaveCluster.run();
        drain.finished(System.currentTimeMillis());
        LOG.info("drained node={}: {} clients closed", node.cluster().self(), drain.closed());
    }
}
