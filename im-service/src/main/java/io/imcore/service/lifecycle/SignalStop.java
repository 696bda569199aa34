package io.imcore.service.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM a clean stop that exits with status 0.
 *
 * <p>Without it the JVM runs its shutdown hooks on SIGTERM (Dropwizard's Jetty server is stopped by one, so
 * the node still closes its connections and removes its keys) but then exits with 143, which service managers
 * and orchestrators report as a failure. This handler stops the server itself and exits 0, or 1 when the stop
 * failed; a stop that takes longer than {@code limit} is cut short with status 1.
 */
public final class SignalStop {
    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private SignalStop() {
    }

    /** Handles SIGTERM from now on by stopping {@code server}, for at most {@code limit}. */
    public static void install(Server server, Duration limit) {
        try {
            Signal.handle(new Signal("TERM"), signal -> stopAndExit(server, limit));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("cannot handle SIGTERM ({}); the JVM's default applies (exit status 143)", e.toString());
        }
    }

    private static void stopAndExit(Server server, Duration limit) {
        if (!STOPPING.compareAndSet(false, true)) {
            return;
        }
        LOG.info("SIGTERM: stopping");
        Thread watchdog = new Thread(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(limit.toMillis());
                LOG.error("stop took longer than {}; halting", limit);
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "im-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Thread stopper = new Thread(() -> {
            int status = 0;
            try {
                server.stop();
            } catch (Exception e) {
                LOG.error("stop failed", e);
                status = 1;
            }
            System.exit(status);
        }, "im-stop");
        stopper.start();
    }
}
