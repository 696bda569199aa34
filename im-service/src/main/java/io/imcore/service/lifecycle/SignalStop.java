package io.imcore.service.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT (Ctrl-C) a clean stop that exits with status 0.
 *
 * <p>Without it the JVM runs its shutdown hooks on SIGTERM (Dropwizard's Jetty server is stopped by one, so
 * the node still closes its connections and removes its keys) but then exits with 143, which service managers
 * and orchestrators report as a failure. This handler stops the server itself and exits 0, or 1 when the stop
 * failed; a stop that takes longer than {@code limit} is cut short with status 1. SIGINT is handled the same
 * way: the JVM's default would run the shutdown hooks at the same time (embedded-redis's among them, which
 * kills the embedded Redis while the node still writes its offline events) and exit with 130.
 */
public final class SignalStop {
    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private SignalStop() {}

    /** Handles SIGTERM and SIGINT from now on by stopping {@code server}, for at most {@code limit}. */
    public static void install(Server server, Duration limit) {
        handle("TERM", 143, server, limit);
        handle("INT", 130, server, limit);
    }

    private static void handle(String name, int defaultStatus, Server server, Duration limit) {
        try {
            Signal.handle(new Signal(name), signal -> stopAndExit(signal, server, limit));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn(
                    "cannot handle SIG{} ({}); the JVM's default applies (exit status {})",
                    name,
                    e.toString(),
                    defaultStatus);
        }
    }

    private static void stopAndExit(Signal signal, Server server, Duration limit) {
        if (!STOPPING.compareAndSet(false, true)) {
            return;
        }
        LOG.info("SIG{}: stopping", signal.getName());
        Thread watchdog = new Thread(
                () -> {
                    try {
                        TimeUnit.MILLISECONDS.sleep(limit.toMillis());
                        LOG.error("stop took longer than {}; halting", limit);
                        Runtime.getRuntime().halt(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "im-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Thread stopper = new Thread(
                () -> {
                    int status = 0;
                    try {
                        server.stop();
                    } catch (Exception e) {
                        LOG.error("stop failed", e);
                        status = 1;
                    }
                    System.exit(status);
                },
                "im-stop");
        stopper.start();
    }
}
