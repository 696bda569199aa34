package io.imcore.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.protocol.Codec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * What the phases of one run share: the options, the publishing client (ImClient), the WebSocket client, the
 * terminals, the frame router and the run's deadline, with the waits that honour it.
 */
final class RunContext implements AutoCloseable {
    final BenchOptions options;
    final String run;
    final FrameRouter router;
    final List<Long> nodePids;
    final long selfPid = ProcessHandle.current().pid();
    final List<Terminal> terminals = new ArrayList<>();
    private final PrintStream log;
    private final long deadlineNanos;
    private final String padding;
    private ImClient im;
    private WebSocketClient ws;
    private volatile List<Terminal> live = List.of();
    private volatile boolean timedOut;
    private ScheduledExecutorService acker;

    RunContext(BenchOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.run = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(new Random().nextInt(1 << 20), 36);
        this.deadlineNanos = System.nanoTime() + options.maxDuration().toNanos();
        this.router = new FrameRouter(run);
        this.padding = "x".repeat(options.payloadBytes());
        this.nodePids = options.nodePids();
    }

    /** Creates ImClient and starts the WebSocket client. */
    void start() throws Exception {
        ImClientOptions.Builder builder = ImClientOptions.builder();
        if (options.redisSentinelMaster() != null) {
            builder.redisSentinel(options.redisSentinelMaster(), options.redisSentinelNodes());
        } else if (!options.redisClusterNodes().isEmpty()) {
            builder.redisCluster(options.redisClusterNodes());
        } else {
            builder.redisUri(options.redisUri());
        }
        if (options.waitReplicas() > 0) {
            builder.waitReplicas(options.waitReplicas(), options.waitTimeout());
        }
        im = ImClient.create(builder.servers(options.servers())
                .keyPrefix(options.keyPrefix())
                .maxConnections(options.publishers() + 8)
                .socketTimeout(Duration.ofSeconds(10))
                .build());
        QueuedThreadPool threads =
                new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
        threads.setName("bench-ws");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(Math.max(1, Runtime.getRuntime().availableProcessors()));
        connector.setExecutor(threads);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(options.connectConcurrency() + 16);
        http.setMaxRequestsQueuedPerDestination(options.clients() + 1024);
        http.setConnectTimeout(10_000);
        http.setIdleTimeout(options.maxDuration().toMillis() + 60_000);
        ws = new WebSocketClient(http);
        ws.setIdleTimeout(options.maxDuration().plusSeconds(60));
        ws.setMaxTextMessageSize(4L * 1024 * 1024);
        ws.setStopAtShutdown(false);
        ws.start();
        if (options.acks()) {
            acker = Executors.newSingleThreadScheduledExecutor(daemon("bench-acks"));
            // the connected terminals: nothing arrives to ack before connecting is over
            acker.scheduleWithFixedDelay(() -> live().forEach(Terminal::ackIfBehind), 100, 100, TimeUnit.MILLISECONDS);
        }
    }

    ImClient im() {
        return im;
    }

    WebSocketClient ws() {
        return ws;
    }

    /** The terminals that connected, in slot order. */
    List<Terminal> live() {
        return live;
    }

    void live(List<Terminal> connected) {
        live = List.copyOf(connected);
    }

    /** The {@code data} of message {@code seq} of {@code phase}: see {@link FrameScan}. */
    ObjectNode data(int phase, long seq) {
        ObjectNode node = Codec.mapper().createObjectNode();
        node.put("b", run);
        node.put("p", phase);
        node.put("s", seq);
        node.put("x", padding);
        return node;
    }

    boolean expired() {
        return System.nanoTime() > deadlineNanos;
    }

    void markTimedOut() {
        timedOut = true;
    }

    boolean timedOut() {
        return timedOut || expired();
    }

    /** Milliseconds left before the deadline, at least 1. */
    long millisLeft() {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    /** Nanoseconds left before the deadline, at least 1. */
    long nanosLeft() {
        return Math.max(1, deadlineNanos - System.nanoTime());
    }

    /** Waits until {@code done} or {@code --drain} has passed (within the deadline). */
    void drain(BooleanSupplier done) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + options.drain().toNanos());
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(2);
        }
        if (!done.getAsBoolean() && expired()) {
            timedOut = true;
        }
    }

    /**
     * Parks until about {@code nanos} (never spins: on a machine shared with the node, a spinning generator would
     * steal its CPU; the timer slack of some 50 µs shows in the reported publisher lag); returns the time then.
     */
    static long waitUntil(long nanos) {
        long now = System.nanoTime();
        while (nanos - now > 20_000) {
            LockSupport.parkNanos(nanos - now);
            now = System.nanoTime();
        }
        return now;
    }

    void sleepBounded(Duration duration) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + duration.toNanos());
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }

    void progress(String format, Object... args) {
        if (!options.quiet()) {
            log.printf("[im-bench] " + format + "%n", args);
        }
    }

    static ThreadFactory daemon(String name) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Closes every terminal (waiting a bounded time for the closes), the WebSocket client and ImClient. */
    @Override
    public void close() {
        if (acker != null) {
            acker.shutdownNow();
        }
        router.closing();
        for (Terminal terminal : terminals) {
            terminal.close();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Terminal terminal : terminals) {
            while (terminal.isOpen() && System.nanoTime() < until) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        try {
            if (ws != null) {
                ws.stop();
            }
        } catch (Exception e) {
            log.println("[im-bench] stopping the WebSocket client failed: " + e);
        }
        if (im != null) {
            im.close();
        }
    }
}
