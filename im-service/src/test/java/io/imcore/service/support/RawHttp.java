package io.imcore.service.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plain HTTP as the JDK speaks it ({@link java.net.http.HttpClient}), to see a node's refusals byte for byte:
 * status, headers and body.
 */
public final class RawHttp {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();

    private RawHttp() {}

    /**
     * Sends the WebSocket opening handshake ({@code GET} with {@code Connection: Upgrade},
     * {@code Upgrade: websocket}, {@code Sec-WebSocket-Key}, {@code Sec-WebSocket-Version: 13}) to {@code wsUrl}
     * and returns the HTTP response of the refusal; fails if the upgrade was accepted.
     */
    public static HttpResponse<?> refusedUpgrade(String wsUrl) {
        return refusedUpgrade(wsUrl, java.util.Map.of());
    }

    /** {@link #refusedUpgrade(String)} with extra request headers, such as {@code Origin}. */
    public static HttpResponse<?> refusedUpgrade(String wsUrl, java.util.Map<String, String> headers) {
        try {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
            headers.forEach(builder::header);
            WebSocket socket = builder.buildAsync(URI.create(wsUrl), new WebSocket.Listener() {})
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.abort();
            throw new AssertionError("upgrade to " + wsUrl + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse();
            }
            throw new AssertionError("upgrade failed without an HTTP answer: " + e.getCause(), e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** A plain {@code GET} of {@code httpUrl} with no upgrade headers, body read as text. */
    public static HttpResponse<String> get(String httpUrl) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(httpUrl)).timeout(WAIT).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + httpUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
