package io.imcore.service.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A node's admin port: health checks and metrics as JSON. */
public final class Admin {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    public Admin(int port) {
        this.port = port;
    }

    /** The status of {@code GET /healthcheck}: 200 all healthy, 500 one unhealthy; -1 when nothing answers. */
    public int healthStatus() {
        try {
            return get("/healthcheck").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether the health check {@code name} is healthy now. */
    public boolean isHealthy(String name) {
        try {
            return json(get("/healthcheck")).path(name).path("healthy").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** The count of the counter {@code name}, 0 when it does not exist yet. */
    public long counter(String name) {
        try {
            return json(get("/metrics")).path("counters").path(name).path("count").asLong(0);
        } catch (IOException e) {
            throw new AssertionError("metrics unreadable: " + e, e);
        }
    }

    /** The sum of the counts of every meter whose name starts with {@code prefix}. */
    public long meterCounts(String prefix) {
        try {
            long sum = 0;
            var meters = json(get("/metrics")).path("meters").fields();
            while (meters.hasNext()) {
                var meter = meters.next();
                if (meter.getKey().startsWith(prefix)) {
                    sum += meter.getValue().path("count").asLong(0);
                }
            }
            return sum;
        } catch (IOException e) {
            throw new AssertionError("metrics unreadable: " + e, e);
        }
    }

    /** The value of the gauge {@code name}. */
    public long gauge(String name) {
        try {
            return json(get("/metrics")).path("gauges").path(name).path("value").asLong(-1);
        } catch (IOException e) {
            throw new AssertionError("metrics unreadable: " + e, e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Codec.mapper().readTree(response.body());
    }
}
