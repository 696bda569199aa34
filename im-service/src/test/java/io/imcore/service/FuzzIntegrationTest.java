package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.client.ImClient;
import io.imcore.redis.Streams;
import io.imcore.service.support.AdminPort;
import io.imcore.service.support.Mutator;
import io.imcore.service.support.NodeCluster;
import io.imcore.testkit.RawWebSocket;
import io.imcore.testkit.TestTerminal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;

/**
 * A seeded barrage of random and mutated input: at least 10 000 frames on the WebSocket (plus a few hundred
 * frames malformed at the WebSocket level) and 10 000 envelopes on the node's inbox and {@code broadcast}.
 * The node never dies, every frame a connected terminal gets is one addressed to it (checked against what was
 * published, parsed leniently), and valid messages sent afterwards are delivered.
 *
 * <p>The seed is printed; {@code -Dfuzz.seed=<seed>} replays a run, e.g.
 * {@code mvn -B -q -pl im-service -am test -Dtest=FuzzIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfuzz.seed=42}.
 */
class FuzzIntegrationTest {
    static final int SOCKET_FRAMES = 10_000;
    static final int RAW_CONNECTIONS = 300;
    static final int ENVELOPES = 10_000;
    static final int BATCH = 250;
    static final ObjectMapper LENIENT = new ObjectMapper();

    /** The frame rate limit is off here so the barrage gets through; its own test is in TerminalLimits. */
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().override("websocket.maxFramesPerSecond", "0");

    static final int MAX_FRAME_BYTES = 64 * 1024;

    /** Connected terminals by client id; {@code fz-s} is also the socket fuzzer. */
    private final Map<String, List<TestTerminal>> terminals = new TreeMap<>();
    /** Terminals closed during the run (kicked, or the fuzzer after a frame too large), checked all the same. */
    private final List<Map.Entry<String, TestTerminal>> retired = new ArrayList<>();

    private final Map<String, Set<String>> initialChans =
            Map.of("fz-a", Set.of("fz-room"), "fz-b", Set.of("fz-other"), "fz-s", Set.of());
    private final List<String> published = new ArrayList<>();
    private final Map<Integer, Integer> socketCloses = new TreeMap<>();

    @Test
    void theNodeSurvivesRandomAndMutatedFramesAndEnvelopesAndNeverMisroutes() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        System.out.printf("fuzz seed %d (replay with -Dfuzz.seed=%d)%n", seed, seed);
        try {
            barrage(new Mutator(seed), CLUSTER.client(), CLUSTER.redis());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("fuzz seed " + seed + " (replay with -Dfuzz.seed=" + seed + "): " + e, e);
        } finally {
            terminals.values().forEach(list -> list.forEach(TestTerminal::close));
        }
    }

    private void barrage(Mutator mutator, ImClient client, RedisClient redis) throws Exception {
        AdminPort admin = CLUSTER.admin();
        client.joinChan("fz-a", "fz-room");
        client.joinChan("fz-b", "fz-other");
        connect(client, "fz-a");
        connect(client, "fz-a");
        connect(client, "fz-b");
        connect(client, "fz-s");

        int frames = fuzzSocket(mutator, client);
        int raw = fuzzRawFrames(mutator, client);
        long before = handledEnvelopes(admin);
        fuzzEnvelopes(mutator, redis);
        // a kick late in the barrage must have closed its terminal before the terminals are checked
        await("the node handled every envelope")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> handledEnvelopes(admin) >= before + ENVELOPES);
        System.out.printf(
                "sent %d frames, %d malformed WebSocket frames, %d envelopes; socket closes by code %s;"
                        + " envelopes ignored as invalid: %d%n",
                frames, raw, ENVELOPES, socketCloses, admin.counter("im.envelopes.invalid"));

        assertThat(admin.healthStatus()).as("health after the barrage").isEqualTo(200);
        reconnectClosed(client);
        // a client whose connections were all kicked left its channels (keepOnDisconnect is false)
        client.joinChan("fz-a", "fz-room");
        String toA = client.sendMessage("", List.of("fz-a", "fz-b", "fz-s"), "after the barrage");
        String chan = client.sendChanMessage("", "fz-room", "after the barrage");
        published.add("{\"type\":\"msg\",\"id\":\"" + toA + "\",\"to\":[\"fz-a\",\"fz-b\",\"fz-s\"]}");
        published.add("{\"type\":\"chan\",\"id\":\"" + chan + "\",\"chan\":\"fz-room\"}");
        for (Map.Entry<String, List<TestTerminal>> entry : terminals.entrySet()) {
            for (TestTerminal terminal : entry.getValue()) {
                awaitFrameWithId(entry.getKey(), terminal, toA);
                if (entry.getKey().equals("fz-a")) {
                    awaitFrameWithId(entry.getKey(), terminal, chan);
                }
            }
        }
        assertEveryFrameWasAddressedToItsTerminal();
    }

    private static long handledEnvelopes(AdminPort admin) {
        return admin.meterCounts("im.envelopes.received.") + admin.counter("im.envelopes.invalid");
    }

    private void connect(ImClient client, String clientId) {
        terminals
                .computeIfAbsent(clientId, id -> new ArrayList<>())
                .add(TestTerminal.connectReady(client.prevConnectServer(clientId, "")));
    }

    private void reconnectClosed(ImClient client) {
        for (Map.Entry<String, List<TestTerminal>> entry : terminals.entrySet()) {
            List<TestTerminal> list = entry.getValue();
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isOpen()) {
                    System.out.printf(
                            "terminal of %s was closed with %d (a kick in the barrage); reconnecting%n",
                            entry.getKey(), list.get(i).awaitCloseCodeOrFailure());
                    retired.add(Map.entry(entry.getKey(), list.get(i)));
                    list.set(i, TestTerminal.connectReady(client.prevConnectServer(entry.getKey(), "")));
                }
            }
        }
    }

    /**
     * Text and binary frames over a real WebSocket, made up front from the seed; the node answers each with
     * pong or error, or closes the connection with 1009 after a frame over the size limit, and the fuzzer
     * reconnects.
     */
    private int fuzzSocket(Mutator mutator, ImClient client) {
        List<String> fixtures = List.of(
                "{\"type\":\"ping\"}",
                "{\"v\":1,\"type\":\"ping\"}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"x\",\"from\":\"fz-s\",\"to\":[\"fz-a\"],\"data\":1,\"ts\":1}",
                "{\"v\":1,\"type\":\"hello\",\"clientId\":\"fz-a\",\"node\":\"n\",\"heartbeat\":25}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"x\",\"chan\":\"fz-room\",\"from\":\"\",\"data\":{},\"ts\":1}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"fz-a\"}");
        List<String> inputs = new ArrayList<>();
        List<Boolean> binary = new ArrayList<>();
        for (int i = 0; i < SOCKET_FRAMES; i++) {
            binary.add(mutator.random().nextInt(50) == 0);
            inputs.add(mutator.next(fixtures));
        }
        int next = 0;
        while (next < inputs.size()) {
            TestTerminal fuzzer = terminals.get("fz-s").get(0);
            int answered = fuzzer.history().size();
            int answers = 0;
            boolean tooLarge = false;
            while (answers < BATCH && next < inputs.size() && !tooLarge) {
                byte[] bytes = inputs.get(next).getBytes(StandardCharsets.UTF_8);
                if (binary.get(next)) {
                    fuzzer.sendBinary(bytes);
                } else {
                    fuzzer.send(inputs.get(next));
                }
                next++;
                tooLarge = bytes.length > MAX_FRAME_BYTES;
                answers += tooLarge ? 0 : 1;
            }
            int expected = answered + answers;
            await("answers to the batch")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> fuzzer.history().size() >= expected || !fuzzer.isOpen());
            if (tooLarge || !fuzzer.isOpen()) {
                socketCloses.merge(fuzzer.awaitCloseCodeOrFailure(), 1, Integer::sum);
                retired.add(Map.entry("fz-s", fuzzer));
                terminals.get("fz-s").set(0, TestTerminal.connectReady(client.prevConnectServer("fz-s", "")));
            }
        }
        return inputs.size();
    }

    /** Frames malformed at the WebSocket level (bits flipped in a valid frame, garbage), each on a connection. */
    private int fuzzRawFrames(Mutator mutator, ImClient client) {
        byte[] valid = {(byte) 0x81, (byte) 0x8F, 1, 2, 3, 4};
        for (int i = 0; i < RAW_CONNECTIONS; i++) {
            try (RawWebSocket socket = RawWebSocket.open(client.prevConnectServer("fz-raw", ""), 0)) {
                byte[] frame;
                if (mutator.random().nextInt(4) == 0) {
                    frame = mutator.randomText(1 + mutator.random().nextInt(64)).getBytes(StandardCharsets.UTF_8);
                } else {
                    byte[] payload =
                            mutator.next(List.of("{\"type\":\"ping\"}")).getBytes(StandardCharsets.UTF_8);
                    frame = new byte[valid.length + payload.length];
                    System.arraycopy(valid, 0, frame, 0, valid.length);
                    System.arraycopy(payload, 0, frame, valid.length, payload.length);
                    for (int flips = 1 + mutator.random().nextInt(3); flips > 0; flips--) {
                        int at = mutator.random().nextInt(Math.min(frame.length, 8));
                        frame[at] ^= (byte) (1 << mutator.random().nextInt(8));
                    }
                }
                socket.sendRaw(frame);
            } catch (RuntimeException ignored) {
                // the node may close first; what matters is that it stays up
            }
        }
        return RAW_CONNECTIONS;
    }

    /** Envelopes on the node's inbox and on broadcast, pipelined in batches. */
    private void fuzzEnvelopes(Mutator mutator, RedisClient redis) {
        List<String> fixtures = List.of(
                "{\"v\":1,\"type\":\"msg\",\"id\":\"x\",\"from\":\"\",\"to\":[\"fz-a\"],\"data\":\"hi\",\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"x\",\"from\":\"fz-b\",\"to\":[\"fz-a\",\"fz-c\"],\"data\":{\"k\":[1,2]},"
                        + "\"receipt\":true,\"ts\":1}",
                "{\"v\":1,\"type\":\"msg\",\"id\":\"x\",\"from\":\"fz-c\",\"to\":[\"fz-b\"],\"data\":null,\"ts\":1}",
                "{\"v\":1,\"type\":\"receipt\",\"id\":\"x\",\"from\":\"fz-c\",\"to\":\"fz-b\",\"status\":\"delivered\",\"ts\":1}",
                "{\"v\":1,\"type\":\"kick\",\"clientId\":\"fz-c\"}",
                "{\"v\":1,\"type\":\"join\",\"clientId\":\"fz-b\",\"chans\":[\"fz-new\"]}",
                "{\"v\":1,\"type\":\"leave\",\"clientId\":\"fz-a\",\"chans\":[\"fz-gone\"]}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"x\",\"from\":\"\",\"chan\":\"fz-room\",\"data\":[1],\"ts\":1}",
                "{\"v\":1,\"type\":\"chan\",\"id\":\"x\",\"from\":\"fz-a\",\"chan\":\"fz-new\",\"data\":true,\"ts\":1}",
                "{\"v\":1,\"type\":\"all\",\"id\":\"x\",\"from\":\"\",\"data\":\"to all\",\"ts\":1}",
                "{\"v\":1,\"type\":\"online\",\"clientId\":\"fz-a\",\"metadata\":\"\",\"node\":\"n\",\"reason\":\"connect\","
                        + "\"ts\":1}");
        String inbox = "im:node:" + CLUSTER.entry(0);
        for (int done = 0; done < ENVELOPES; done += BATCH) {
            try (AbstractPipeline pipeline = redis.pipelined()) {
                for (int i = 0; i < BATCH; i++) {
                    String envelope = mutator.next(fixtures);
                    // as it goes over the wire: a lone surrogate becomes '?' in UTF-8
                    published.add(new String(envelope.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
                    pipeline.xadd(
                            mutator.random().nextBoolean() ? inbox : "im:broadcast",
                            Streams.addParams(100_000),
                            Streams.entry(envelope));
                }
                pipeline.sync();
            }
        }
    }

    private static void awaitFrameWithId(String clientId, TestTerminal terminal, String id) {
        try {
            await("frame " + id + " at " + clientId)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> terminal.history().stream().anyMatch(frame -> frame.contains(id)));
        } catch (RuntimeException e) {
            List<String> history = terminal.history();
            throw new AssertionError(
                    "no frame " + id + " at " + clientId + " (open " + terminal.isOpen()
                            + "); its last frames: "
                            + history.subList(Math.max(0, history.size() - 3), history.size()).stream()
                                    .map(FuzzIntegrationTest::abbreviate)
                                    .toList(),
                    e);
        }
    }

    /** Checks every frame of every terminal against the published envelopes, read leniently by plain Jackson. */
    private void assertEveryFrameWasAddressedToItsTerminal() {
        Map<String, List<JsonNode>> byId = new HashMap<>();
        Map<String, Set<String>> joined = new HashMap<>();
        for (String payload : published) {
            JsonNode envelope = lenient(payload);
            if (envelope == null || !envelope.isObject()) {
                continue;
            }
            if (envelope.path("id").isTextual()) {
                byId.computeIfAbsent(envelope.path("id").asText(), id -> new ArrayList<>())
                        .add(envelope);
            }
            if ("join".equals(envelope.path("type").asText())
                    && envelope.path("clientId").isTextual()) {
                envelope.path("chans")
                        .forEach(chan -> joined.computeIfAbsent(
                                        envelope.path("clientId").asText(), id -> new HashSet<>())
                                .add(chan.asText()));
            }
        }
        List<Map.Entry<String, TestTerminal>> all = new ArrayList<>(retired);
        terminals.forEach((clientId, list) -> list.forEach(terminal -> all.add(Map.entry(clientId, terminal))));
        Map<String, Integer> checked = new TreeMap<>();
        for (Map.Entry<String, TestTerminal> entry : all) {
            String self = entry.getKey();
            Set<String> chans = new HashSet<>(initialChans.get(self));
            chans.addAll(joined.getOrDefault(self, Set.of()));
            for (String text : entry.getValue().history()) {
                JsonNode frame = lenient(text);
                assertThat(frame).as("a frame that is not JSON: %s", text).isNotNull();
                List<JsonNode> sources = byId.getOrDefault(frame.path("id").asText(), List.of());
                assertThat(isFor(self, chans, frame, sources))
                        .as(
                                "frame to %s not addressed to it: %s; published with" + " its id: %s",
                                self,
                                abbreviate(text),
                                sources.stream()
                                        .map(JsonNode::toString)
                                        .map(FuzzIntegrationTest::abbreviate)
                                        .toList())
                        .isTrue();
                checked.merge(self + " " + frame.path("type").asText(), 1, Integer::sum);
            }
        }
        System.out.printf("checked the frames received by %d terminals: %s%n", all.size(), checked);
    }

    private static boolean isFor(String self, Set<String> chans, JsonNode frame, List<JsonNode> sources) {
        String type = frame.path("type").asText();
        switch (type) {
            case "hello":
                return self.equals(frame.path("clientId").asText());
            case "pong", "error":
                return self.equals("fz-s");
            case "msg":
                return sources.stream()
                        .anyMatch(e -> "all".equals(e.path("type").asText())
                                || ("msg".equals(e.path("type").asText()) && contains(e.path("to"), self)));
            case "chan":
                return chans.contains(frame.path("chan").asText())
                        && sources.stream()
                                .anyMatch(e -> "chan".equals(e.path("type").asText())
                                        && frame.path("chan").equals(e.path("chan")));
            case "receipt":
                return sources.stream()
                        .anyMatch(e -> ("receipt".equals(e.path("type").asText())
                                        && self.equals(e.path("to").asText()))
                                || ("msg".equals(e.path("type").asText())
                                        && self.equals(e.path("from").asText())
                                        && e.path("receipt").isBoolean()
                                        && e.path("receipt").booleanValue()
                                        && contains(
                                                e.path("to"), frame.path("to").asText())));
            default:
                return false;
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (element.isTextual() && element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode lenient(String json) {
        try {
            return LENIENT.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
