package io.imcore.example.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A terminal without a browser: the JDK's WebSocket client, recording the node's frames as JSON. */
public final class WireTerminal implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket socket;

    /** Opens {@code url} and waits for {@code hello}. */
    public static WireTerminal connect(String url) {
        WireTerminal terminal = new WireTerminal();
        terminal.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(url), terminal)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        JsonNode hello = terminal.next();
        if (!"hello".equals(hello.path("type").asText())) {
            throw new AssertionError("first frame was not hello: " + hello);
        }
        return terminal;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** The next frame, waiting up to 10 s. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame of {@code type} whose {@code data.kind} is {@code kind} (null: any), skipping others. */
    public JsonNode next(String type, String kind) {
        while (true) {
            JsonNode frame = next();
            if (type.equals(frame.path("type").asText())
                    && (kind == null || kind.equals(frame.path("data").path("kind").asText()))) {
                return frame;
            }
        }
    }

    /** Sends a text frame. */
    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Closes normally and waits for the close to complete. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        try {
            closeCode.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }
}
