package io.imcore.service.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.client.ImClient;
import io.imcore.testkit.TestTerminal;
import java.util.List;

/**
 * Proves that a frame did NOT arrive without sleeping: frames of one connection keep their order, and the
 * node handles its inbox in publish order, and entries of its inbox and {@code broadcast} in publish order when
 * they are a millisecond or more apart, so once a marker message published afterwards is the terminal's next
 * frame, the earlier frame had its chance and did not come.
 */
public final class Markers {
    private Markers() {}

    /**
     * Sends a system message marker to {@code clientId} and asserts it is the next frame of {@code terminal}
     * (one of that client's connections): nothing published to it before the marker is pending.
     */
    public static void assertNothingElseArrivesBeforeAMarker(ImClient client, String clientId, TestTerminal terminal) {
        String marker = client.sendMessage("", List.of(clientId), "marker");
        JsonNode next = terminal.next();
        assertThat(next.path("type").asText())
                .as("the next frame should be the marker message, got %s", next)
                .isEqualTo("msg");
        assertThat(next.path("id").asText())
                .as("the next frame should be the marker, got %s", next)
                .isEqualTo(marker);
    }
}
