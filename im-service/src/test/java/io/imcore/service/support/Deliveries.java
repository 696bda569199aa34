package io.imcore.service.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.testkit.TestTerminal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/** What the delivery tests read from terminals and do to Redis connections. */
public final class Deliveries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Deliveries() {}

    /** The frames of {@code type} the terminal got so far, parsed, in arrival order. */
    public static List<JsonNode> frames(TestTerminal terminal, String type) {
        List<JsonNode> frames = new ArrayList<>();
        for (String raw : terminal.history()) {
            if (raw.contains("\"type\":\"" + type + "\"")) {
                try {
                    frames.add(JSON.readTree(raw));
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + raw, e);
                }
            }
        }
        return frames;
    }

    /** The ids of the {@code msg} frames the terminal got so far, in arrival order. */
    public static List<String> messageIds(TestTerminal terminal) {
        return frames(terminal, "msg").stream()
                .map(frame -> frame.path("id").asText())
                .toList();
    }

    /**
     * Every id of {@code returned} (the sends that returned normally, in the order sent) arrived exactly once and
     * in that order; nothing arrived twice (a send that threw may or may not have arrived: its id is unknown).
     */
    public static void assertExactlyOnceInOrder(List<String> arrived, List<String> returned) {
        assertThat(new HashSet<>(arrived)).as("nothing arrived twice").hasSameSizeAs(arrived);
        Set<String> known = new HashSet<>(returned);
        assertThat(arrived.stream().filter(known::contains).toList())
                .as("every message whose send returned, once, in the order sent")
                .containsExactlyElementsOf(returned);
    }

    /** {@code CLIENT KILL ID} of every connection named {@code name} on {@code host:port}; returns how many. */
    public static int killConnectionsNamed(String host, int port, String name) {
        Set<String> ids = new HashSet<>();
        try (Jedis admin = new Jedis(host, port)) {
            admin.clientList()
                    .lines()
                    .filter(line -> line.contains(" name=" + name + " "))
                    .forEach(line -> ids.add(line.substring(3, line.indexOf(' '))));
            ids.forEach(
                    id -> admin.clientKill(ClientKillParams.clientKillParams().id(id)));
        }
        return ids.size();
    }
}
