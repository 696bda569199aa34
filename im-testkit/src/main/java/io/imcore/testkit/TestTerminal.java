package io.imcore.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A browser-like terminal for tests of every module: a real Jetty WebSocket client that records every text frame
 * it gets (parsed with the wire's own {@link Codec}) and how its connection closed. For a terminal that stops
 * reading or sends malformed frames, see {@link RawWebSocket}.
 *
 * <pre>{@code
 * try (TestTerminal alice = TestTerminal.connectReady(client.prevConnectServer("alice", ""))) {
 *     assertThat(alice.next("msg").path("data").asText()).isEqualTo("hi");
 * }
 * }</pre>
 */
public final class TestTerminal implements Session.Listener.AutoDemanding, AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final WebSocketClient CLIENT = startClient();

    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    private final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Arrival> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile Session session;

    private static WebSocketClient startClient() {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(16 * 1024 * 1024);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** Opens {@code url} and waits for the upgrade. */
    public static TestTerminal connect(String url) {
        return connect(url, new ClientUpgradeRequest());
    }

    /** Opens {@code url} as a page of {@code origin} (its {@code Origin} header) and waits for {@code hello}. */
    public static TestTerminal connectReady(String url, String origin) {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Origin", origin);
        TestTerminal terminal = connect(url, request);
        JsonNode hello = terminal.next();
        if (!"hello".equals(hello.path("type").asText())) {
            throw new AssertionError("first frame was not hello: " + hello);
        }
        return terminal;
    }

    private static TestTerminal connect(String url, ClientUpgradeRequest request) {
        TestTerminal terminal = new TestTerminal();
        try {
            CLIENT.connect(terminal, URI.create(url), request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException | java.io.IOException e) {
            throw new AssertionError("could not connect to " + url + ": " + e, e);
        }
        return terminal;
    }

    /** Opens {@code url} and waits for the {@code hello} frame, returning it. */
    public static TestTerminal connectReady(String url) {
        TestTerminal terminal = connect(url);
        JsonNode hello = terminal.next();
        if (!"hello".equals(hello.path("type").asText())) {
            throw new AssertionError("first frame was not hello: " + hello);
        }
        return terminal;
    }

    /** Tries to open {@code url}, expecting a refusal; returns the HTTP status of the refusal. */
    public static int refusalStatus(String url) {
        TestTerminal terminal = new TestTerminal();
        try {
            CLIENT.connect(terminal, URI.create(url), new ClientUpgradeRequest())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeException upgrade) {
                return upgrade.getResponseStatusCode();
            }
            throw new AssertionError("connect failed without an HTTP refusal: " + e.getCause(), e);
        } catch (InterruptedException | TimeoutException | java.io.IOException e) {
            throw new AssertionError(e);
        }
        terminal.close();
        throw new AssertionError("connect to " + url + " was accepted");
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        arrivals.add(new Arrival(System.currentTimeMillis(), message));
        history.add(message);
        received.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeCode.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closeCode.completeExceptionally(cause);
    }

    /** The next frame not yet taken, waiting up to 10 s. */
    public JsonNode next() {
        String[] frame = new String[1];
        await("a frame")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> (frame[0] = received.poll()) != null);
        return parse(frame[0]);
    }

    /** The next frame of {@code type}, skipping others, waiting up to 10 s. */
    public JsonNode next(String type) {
        while (true) {
            JsonNode frame = next();
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /**
     * The next frame of {@code type} whose {@code data.kind} is {@code kind} (null: any kind), skipping others,
     * waiting up to 10 s for each.
     */
    public JsonNode next(String type, String kind) {
        while (true) {
            JsonNode frame = next(type);
            if (kind == null || kind.equals(frame.path("data").path("kind").asText())) {
                return frame;
            }
        }
    }

    /** The raw text of the next frame. */
    public String nextRaw() {
        String[] frame = new String[1];
        await("a frame")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> (frame[0] = received.poll()) != null);
        return frame[0];
    }

    /** Frames received and not yet taken. */
    public List<String> pending() {
        return List.copyOf(received);
    }

    /** Every frame received so far, taken or not. */
    public List<String> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** A frame and when it arrived (epoch ms). */
    public record Arrival(long atMillis, String frame) {}

    /** Every frame received so far with its arrival time. */
    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    /** Sends a text frame. */
    public void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** Sends a binary frame. */
    public void sendBinary(byte[] payload) {
        session.sendBinary(java.nio.ByteBuffer.wrap(payload), Callback.NOOP);
    }

    /** The close code, waiting up to 10 s for the close. */
    public int awaitCloseCode() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("connection did not close: " + e, e);
        }
    }

    /** The close code, or -1 when the connection failed instead (such as a write after the node closed it). */
    public int awaitCloseCodeOrFailure() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            return -1;
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("connection did not close: " + e, e);
        }
    }

    public boolean isOpen() {
        return session != null && session.isOpen() && !closeCode.isDone();
    }

    @Override
    public void close() {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close();
        }
    }

    private static JsonNode parse(String frame) {
        try {
            return Codec.mapper().readTree(frame);
        } catch (java.io.IOException e) {
            throw new AssertionError("frame is not JSON: " + frame, e);
        }
    }
}
