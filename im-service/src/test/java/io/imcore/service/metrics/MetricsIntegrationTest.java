package io.imcore.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.client.ImClient;
import io.imcore.protocol.CloseCodes;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawXadd;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Real traffic through a node (terminals, ImClient, raw Redis publishes), then {@code /metrics} and
 * {@code /prometheus} on the admin port must have moved by exactly what that traffic did. The node allows
 * 1 KiB of queued bytes per connection, so one 2 KB message is a deterministic slow-consumer close (4001).
 */
class MetricsIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().override("websocket.maxQueuedBytes", "1KiB");

    /** Dropwizard name → Prometheus sample name, for every counter the test moves. */
    static final Map<String, String> COUNTERS = Map.ofEntries(
            Map.entry("im.frames.written", "im_frames_written_total"),
            Map.entry("im.messages.delivered", "im_messages_delivered_total"),
            Map.entry("im.envelopes.received.msg", "im_envelopes_received_total{type=\"msg\"}"),
            Map.entry("im.envelopes.received.receipt", "im_envelopes_received_total{type=\"receipt\"}"),
            Map.entry("im.envelopes.received.join", "im_envelopes_received_total{type=\"join\"}"),
            Map.entry("im.envelopes.received.leave", "im_envelopes_received_total{type=\"leave\"}"),
            Map.entry("im.envelopes.received.chan", "im_envelopes_received_total{type=\"chan\"}"),
            Map.entry("im.envelopes.received.kick", "im_envelopes_received_total{type=\"kick\"}"),
            Map.entry("im.envelopes.received.all", "im_envelopes_received_total{type=\"all\"}"),
            Map.entry("im.envelopes.invalid", "im_envelopes_invalid_total"),
            Map.entry("im.messages.dropped", "im_messages_dropped_total"),
            Map.entry("im.receipts.delivered", "im_receipts_delivered_total"),
            Map.entry("im.receipts.offline", "im_receipts_offline_total"),
            Map.entry("im.frames.errors", "im_frames_errors_total"),
            Map.entry("im.connections.slow", "im_connections_slow_total"),
            Map.entry("im.connections.closed.1000", "im_connections_closed_total{code=\"1000\"}"),
            Map.entry("im.connections.closed.1008", "im_connections_closed_total{code=\"1008\"}"),
            Map.entry("im.connections.closed.4001", "im_connections_closed_total{code=\"4001\"}"),
            Map.entry("im.delivery.latency", "im_delivery_latency_count"),
            Map.entry("im.redis.commands.failed", "im_redis_commands_failed_total"));

    @Test
    void countersMoveByExactlyWhatTheTrafficDidOnBothEndpoints() {
        ImClient client = CLUSTER.client();
        RedisClient redis = CLUSTER.redis();
        Map<String, Double> jsonBefore = jsonCounters();
        Map<String, Double> promBefore = promCounters();

        TestTerminal alice1 = CLUSTER.connect("alice", "web");
        TestTerminal alice2 = CLUSTER.connect("alice", "app");
        TestTerminal bob = CLUSTER.connect("bob", "web"); // 3 hello frames
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(CLUSTER.admin().metric("im.connections")).isEqualTo(3);
            assertThat(CLUSTER.admin().metric("im.clients.online")).isEqualTo(2);
        });

        client.joinChan("alice", "room"); // join envelope
        await().atMost(Duration.ofSeconds(5)).until(() -> CLUSTER.admin().metric("im.channels.local") == 1);

        client.sendMessage("bob", List.of("alice"), "hi", true); // msg; 2 frames; receipt envelope + frame
        alice1.next("msg");
        alice2.next("msg");
        assertThat(bob.next("receipt").path("status").asText()).isEqualTo("delivered");

        client.sendMessage("bob", List.of("ghost"), "x", true); // msg; dropped; offline receipt envelope + frame
        assertThat(bob.next("receipt").path("status").asText()).isEqualTo("offline");

        client.sendChanMessage("", "room", "c"); // chan; 2 frames
        alice1.next("chan");
        alice2.next("chan");

        RawXadd.xadd(redis, "im:node:" + CLUSTER.entry(0), "not json"); // invalid
        RawXadd.xadd(
                redis, "im:node:" + CLUSTER.entry(0), "{\"v\":2,\"type\":\"kick\",\"clientId\":\"bob\"}"); // invalid

        bob.send("{\"type\":\"hello\"}"); // error frame
        assertThat(bob.next("error").path("code").asText()).isNotEmpty();
        bob.send("{\"type\":\"ping\"}"); // pong frame
        bob.next("pong");

        client.sendMessage("", List.of("bob"), "y".repeat(2000), false); // msg; slow consumer: closed 4001
        assertThat(bob.awaitCloseCode()).isEqualTo(CloseCodes.SLOW_CONSUMER_BYTES);

        alice2.close(); // closed 1000
        assertThat(alice2.awaitCloseCode()).isEqualTo(CloseCodes.NORMAL);
        client.forceOffline("alice"); // kick; closed 1008
        assertThat(alice1.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
        client.sendBroadcastMessage("nobody left"); // all; nothing written

        Map<String, Double> expected = new HashMap<>();
        COUNTERS.keySet().forEach(name -> expected.put(name, 0.0));
        expected.put("im.frames.written", 11.0); // 3 hello, 2 msg, 2 receipt, 2 chan, 1 error, 1 pong
        expected.put("im.messages.delivered", 4.0);
        expected.put("im.envelopes.received.msg", 3.0);
        expected.put("im.envelopes.received.receipt", 2.0);
        expected.put("im.envelopes.received.join", 1.0);
        expected.put("im.envelopes.received.chan", 1.0);
        expected.put("im.envelopes.received.kick", 1.0);
        expected.put("im.envelopes.received.all", 1.0);
        expected.put("im.envelopes.invalid", 2.0);
        expected.put("im.messages.dropped", 1.0);
        expected.put("im.receipts.delivered", 1.0);
        expected.put("im.receipts.offline", 1.0);
        expected.put("im.frames.errors", 1.0);
        expected.put("im.connections.slow", 1.0);
        expected.put("im.connections.closed.1000", 1.0);
        expected.put("im.connections.closed.1008", 1.0);
        expected.put("im.connections.closed.4001", 1.0);
        expected.put("im.delivery.latency", 4.0);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(delta(jsonCounters(), jsonBefore)).isEqualTo(expected);
            assertThat(CLUSTER.admin().metric("im.connections")).isZero();
            assertThat(CLUSTER.admin().metric("im.clients.online")).isZero();
            assertThat(CLUSTER.admin().metric("im.channels.local")).isZero();
        });
        Map<String, Double> promDelta = delta(promCounters(), promBefore);
        expected.forEach((name, value) -> assertThat(promDelta.get(COUNTERS.get(name)))
                .as(COUNTERS.get(name))
                .isEqualTo(value));
        Map<String, Double> prometheus = CLUSTER.admin().prometheus();
        assertThat(prometheus.get("im_connections")).isZero();
        assertThat(prometheus.get("im_outbound_queue_depth")).isZero();
        assertThat(prometheus.get("im_outbound_queue_depth_max")).isZero();
        assertThat(prometheus.get("im_delivery_latency{quantile=\"0.99\"}")).isNotNull();
        assertThat(CLUSTER.admin().metric("im.outbound.queue.depth")).isZero();
        assertThat(CLUSTER.admin().metric("im.outbound.queue.depth.max")).isZero();
    }

    @Test
    void prometheusHasLabelledFamiliesWithHelpTextsForTheNodesOwnMetrics() {
        String text = CLUSTER.admin().prometheusText();
        assertThat(text)
                .contains("# HELP im_connections_closed_total WebSocket connections closed, by close code")
                .contains("# TYPE im_connections_closed_total counter")
                .contains("im_connections_closed_total{code=\"1008\"} ")
                .contains("# HELP im_cluster_partition_connections Connections of the node at index 'partition'")
                .contains("# TYPE im_cluster_partition_connections gauge")
                .contains("im_cluster_partition_connections{partition=\"0\"} ")
                .contains("im_cluster_partition_alive{partition=\"0\"} 1")
                .contains("# HELP im_envelopes_received_total Envelopes received from Redis, by type")
                .contains("im_envelopes_received_total{type=\"msg\"} ")
                .contains("# HELP im_connections WebSocket connections on this node")
                .contains("# TYPE im_delivery_latency summary")
                .doesNotContain(
                        "im_connections_closed_1008_total",
                        "im_cluster_partition_0_connections",
                        "im_envelopes_received_msg_total");
        // im_scheduler_*: Dropwizard's instrumentation of the node's scheduler, exported by the bridge
        assertThat(text.lines()
                        .filter(line -> line.startsWith("# HELP im_"))
                        .filter(line -> !line.startsWith("# HELP im_scheduler")))
                .as("help lines of the node's own metrics")
                .isNotEmpty()
                .noneMatch(line -> line.contains("Generated from Dropwizard metric import"));
        assertThat(text)
                .as("the bridge still exports Dropwizard's own metrics")
                .contains("ch_qos_logback_core_Appender_all_total ");
    }

    private static Map<String, Double> jsonCounters() {
        Map<String, Double> values = new HashMap<>();
        COUNTERS.keySet().forEach(name -> values.put(name, CLUSTER.admin().metric(name)));
        return values;
    }

    private static Map<String, Double> promCounters() {
        Map<String, Double> samples = CLUSTER.admin().prometheus();
        Map<String, Double> values = new HashMap<>();
        COUNTERS.values().forEach(name -> values.put(name, samples.getOrDefault(name, -1.0)));
        return values;
    }

    private static Map<String, Double> delta(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> delta = new HashMap<>();
        after.forEach((name, value) -> delta.put(name, value - before.get(name)));
        return delta;
    }
}
