package io.imcore.service.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.Codec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Real HTTP to a node's admin port, as an operator's curl would do it: tasks, health checks, {@code /metrics}
 * (Dropwizard JSON) and {@code /prometheus} (Prometheus text).
 */
public final class AdminPort {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public AdminPort(int port) {
        this.port = port;
    }

    /** {@code POST /tasks/<task>?<query>}; {@code query} is sent as written (encode values with {@link #enc}). */
    public HttpResponse<String> task(String task, String query) {
        String uri = "http://127.0.0.1:" + port + "/tasks/" + task + (query.isEmpty() ? "" : "?" + query);
        return send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code POST /tasks/<task>} with {@code form} as an {@code application/x-www-form-urlencoded} body. */
    public HttpResponse<String> taskForm(String task, String form) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tasks/" + task))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /**
     * {@code POST /tasks/<task>?<query>} as a web page's {@code fetch} would send it: with {@code Origin: origin}
     * and a {@code text/plain} body (a request that needs no CORS preflight).
     */
    public HttpResponse<String> taskFromPage(String origin, String task, String query) {
        String uri = "http://127.0.0.1:" + port + "/tasks/" + task + (query.isEmpty() ? "" : "?" + query);
        return send(HttpRequest.newBuilder(URI.create(uri))
                .header("Origin", origin)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    }

    /** The admin port's own origin, {@code http://127.0.0.1:<port>}. */
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** The JSON answer of a task that must succeed. */
    public JsonNode taskJson(String task, String query) {
        HttpResponse<String> response = task(task, query);
        if (response.statusCode() != 200) {
            throw new AssertionError("task " + task + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** {@code GET <path>}. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET());
    }

    /** {@code GET /healthcheck}, parsed (its status is 200 only when every check is healthy). */
    public JsonNode health() {
        return parse(get("/healthcheck").body());
    }

    /** {@code GET /metrics}, parsed. */
    public JsonNode metrics() {
        return parse(get("/metrics").body());
    }

    /** The count of a counter, meter or timer, or the value of a gauge, from {@code /metrics}; -1 when absent. */
    public double metric(String name) {
        JsonNode all = metrics();
        for (String kind : new String[] {"counters", "meters", "timers"}) {
            JsonNode metric = all.path(kind).path(name);
            if (!metric.isMissingNode()) {
                return metric.path("count").asDouble();
            }
        }
        JsonNode gauge = all.path("gauges").path(name);
        return gauge.isMissingNode() ? -1 : gauge.path("value").asDouble();
    }

    /** {@code GET /prometheus}: every sample line ({@code name{labels} value}) as name → value. */
    public Map<String, Double> prometheus() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : prometheusText().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The status of {@code GET /healthcheck}: 200 all healthy, 500 one unhealthy; -1 when nothing answers. */
    public int healthStatus() {
        try {
            return get("/healthcheck").statusCode();
        } catch (java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** Whether the health check {@code name} is healthy now (false when nothing answers). */
    public boolean isHealthy(String name) {
        try {
            return health().path(name).path("healthy").asBoolean(false);
        } catch (java.io.UncheckedIOException | AssertionError unreadable) {
            return false;
        }
    }

    /** The count of the counter {@code name}, 0 when it does not exist yet. */
    public long counter(String name) {
        return metrics().path("counters").path(name).path("count").asLong(0);
    }

    /** The sum of the counts of every meter whose name starts with {@code prefix}. */
    public long meterCounts(String prefix) {
        long sum = 0;
        var meters = metrics().path("meters").fields();
        while (meters.hasNext()) {
            var meter = meters.next();
            if (meter.getKey().startsWith(prefix)) {
                sum += meter.getValue().path("count").asLong(0);
            }
        }
        return sum;
    }

    /** The value of the gauge {@code name}, -1 when it does not exist. */
    public long gauge(String name) {
        return metrics().path("gauges").path(name).path("value").asLong(-1);
    }

    /** {@code GET /prometheus}: the text as served, {@code # HELP} and {@code # TYPE} lines included. */
    public String prometheusText() {
        HttpResponse<String> response = get("/prometheus");
        if (response.statusCode() != 200) {
            throw new AssertionError("/prometheus answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** {@code value} URL-encoded for a query string. */
    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Codec.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
