package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.Tokens;
import io.imcore.redis.Streams;
import io.imcore.testkit.RedisExtension;
import io.imcore.testkit.StreamRecorder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

class ImClientIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE_0 = "127.0.0.1:6001";
    private static final String NODE_1 = "127.0.0.1:6002";
    // homes (rendezvous) with both servers members, or no node alive (the allow-list then): "2", "3", "4" on
    // NODE_0, "1" on NODE_1

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisClient redis;
    private ImClient client;

    @BeforeEach
    void setUp() {
        REDIS.start();
        REDIS.flushAll();
        redis = REDIS.newJedis();
        client = newClient(List.of(NODE_0, NODE_1));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        client.close();
        redis.close();
    }

    private ImClient newClient(List<String> servers) {
        ImClient created = ImClient.create(ImClientOptions.builder()
                .redisUri(REDIS.uri())
                .servers(servers)
                .connectTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(1))
                .resubscribeMaxDelay(Duration.ofMillis(500))
                .build());
        toClose.add(created);
        return created;
    }

    private StreamRecorder subscribeAll() {
        StreamRecorder subscriber = StreamRecorder.startPrefix(REDIS, "im:");
        toClose.add(subscriber);
        return subscriber;
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private void fakeNode(String entry, long seenAt, Map<String, String> online) {
        redis.hset(
                "im:nodes",
                entry,
                "{\"v\":1,\"startedAt\":" + (seenAt - 60_000) + ",\"seenAt\":" + seenAt + ",\"connections\":"
                        + online.size() + "}");
        if (!online.isEmpty()) {
            redis.hset("im:node:" + entry + ":online", online);
        }
    }

    // --- prevConnectServer

    @Test
    void prevConnectServerWritesTheTokenJsonWithTtlAndReturnsTheUrlOfTheClientsNode() throws Exception {
        ImClient twoNodes = newClient(List.of(NODE_0, "wss://im2.example.com/"));

        String url1 = twoNodes.prevConnectServer("4", "web");
        String url2 = twoNodes.prevConnectServer("2", "");

        assertThat(url1).startsWith("wss://im2.example.com/ws?token=");
        assertThat(url2).startsWith("ws://127.0.0.1:6001/ws?token=");
        String token1 = URI.create(url1).getQuery().substring("token=".length());
        String token2 = URI.create(url2).getQuery().substring("token=".length());
        assertThat(Tokens.isWellFormed(token1)).isTrue();
        assertThat(token1).isNotEqualTo(token2);
        assertThat(redis.get("im:token:" + token1)).isEqualTo("{\"v\":1,\"clientId\":\"4\",\"metadata\":\"web\"}");
        assertThat(redis.get("im:token:" + token2)).isEqualTo("{\"v\":1,\"clientId\":\"2\",\"metadata\":\"\"}");
        assertThat(redis.ttl("im:token:" + token1)).isGreaterThan(0).isLessThanOrEqualTo(30);
        assertThat(redis.dbSize()).isEqualTo(2);
    }

    @Test
    void prevConnectServerUsesTheConfiguredTtlAndPrefix() {
        ImClient custom = ImClient.create(client.options().toBuilder()
                .keyPrefix("app1:")
                .tokenTtl(Duration.ofSeconds(5))
                .build());
        toClose.add(custom);

        String url = custom.prevConnectServer("u-1", "{\"device\":\"ios\"}");

        String token = url.substring(url.indexOf("token=") + 6);
        assertThat(redis.get("app1:token:" + token))
                .isEqualTo("{\"v\":1,\"clientId\":\"u-1\",\"metadata\":\"{\\\"device\\\":\\\"ios\\\"}\"}");
        assertThat(redis.ttl("app1:token:" + token)).isBetween(1L, 5L);
    }

    // --- sendMessage

    @Test
    void sendMessagePublishesOneEnvelopePerNodeWithThatNodesReceivers() throws Exception {
        StreamRecorder subscriber = subscribeAll();
        long before = System.currentTimeMillis();

        String id = client.sendMessage("9", List.of("1", "2", "3", "4", "2"), "hello", true);

        subscriber.sync();
        assertThat(subscriber.messages())
                .extracting(StreamRecorder.Message::stream)
                .containsExactlyInAnyOrder("im:node:" + NODE_0, "im:node:" + NODE_1);
        JsonNode toNode0 = json(subscriber.on("im:node:" + NODE_0).get(0));
        JsonNode toNode1 = json(subscriber.on("im:node:" + NODE_1).get(0));
        for (JsonNode envelope : List.of(toNode0, toNode1)) {
            assertThat(envelope.get("v").asInt()).isEqualTo(1);
            assertThat(envelope.get("type").asText()).isEqualTo("msg");
            assertThat(envelope.get("id").asText()).isEqualTo(id);
            assertThat(envelope.get("from").asText()).isEqualTo("9");
            assertThat(envelope.get("data").isTextual()).isTrue();
            assertThat(envelope.get("data").asText()).isEqualTo("hello");
            assertThat(envelope.get("receipt").asBoolean()).isTrue();
            assertThat(envelope.get("ts").asLong()).isBetween(before, System.currentTimeMillis());
        }
        assertThat(toNode0.get("to")).extracting(JsonNode::asText).containsExactly("2", "3", "4");
        assertThat(toNode1.get("to")).extracting(JsonNode::asText).containsExactly("1");
    }

    @Test
    void sendMessageKeepsAnObjectAsJsonAndAllowsASystemSender() throws Exception {
        StreamRecorder subscriber = subscribeAll();

        String id = client.sendMessage("", List.of("2"), Map.of("text", "hi", "n", 3), false);

        subscriber.sync();
        assertThat(subscriber.messages()).hasSize(1);
        JsonNode envelope = json(subscriber.on("im:node:" + NODE_0).get(0));
        assertThat(envelope.get("id").asText()).isEqualTo(id);
        assertThat(envelope.get("from").asText()).isEmpty();
        assertThat(envelope.get("to")).extracting(JsonNode::asText).containsExactly("2");
        assertThat(envelope.get("data").isObject()).isTrue();
        assertThat(envelope.get("data").get("text").asText()).isEqualTo("hi");
        assertThat(envelope.get("data").get("n").asInt()).isEqualTo(3);
        assertThat(envelope.get("receipt").asBoolean()).isFalse();
    }

    @Test
    void sendMessageToNoReceiversReturnsAnIdAndPublishesNothing() {
        StreamRecorder subscriber = subscribeAll();

        String id = client.sendMessage("9", List.of(), "hello", false);

        subscriber.sync();
        assertThat(id).isNotEmpty();
        assertThat(subscriber.messages()).isEmpty();
    }

    // --- validation before any write

    @Test
    void invalidArgumentsAreRejectedBeforeAnythingIsWritten() {
        StreamRecorder subscriber = subscribeAll();
        String tooLong = "c".repeat(129);

        assertThatThrownBy(() -> client.prevConnectServer("bad\nid", ""))
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessageContaining("control");
        assertThatThrownBy(() -> client.prevConnectServer("1", "é".repeat(2049)))
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessageContaining("metadata");
        assertThatThrownBy(() -> client.prevConnectServer("", "")).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.prevConnectServer("1", null)).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.joinChan("1", tooLong))
                .isInstanceOf(ImInvalidArgumentException.class)
                .hasMessageContaining("128");
        assertThatThrownBy(() -> client.joinChan("bad\u007fid", "room")).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.leaveChan("1", "")).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessage("9", List.of("1", "bad\tid"), "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessage("9", java.util.Arrays.asList("1", null), "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessage(null, List.of("1"), "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessage("9", null, "x", false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessage("9", List.of("1"), null, false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendMessage("9", List.of("1"), new Object(), false))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendChanMessage("9", tooLong, "x"))
                .isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.sendBroadcastMessage(null)).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.forceOffline(tooLong)).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.hasOnline(null)).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.getChanOnline(tooLong)).isInstanceOf(ImInvalidArgumentException.class);
        assertThatThrownBy(() -> client.eventBus(null, null)).isInstanceOf(ImInvalidArgumentException.class);

        subscriber.sync();
        assertThat(redis.dbSize()).isZero();
        assertThat(subscriber.messages()).isEmpty();
    }

    @Test
    void limitsAreInclusive() {
        String longest = "c".repeat(128);

        client.joinChan(longest, longest);
        client.prevConnectServer(longest, "é".repeat(2048));

        assertThat(client.getChanClientList(longest)).containsExactly(longest);
    }

    // --- channels

    @Test
    void joinAndLeaveWriteTheKeysOfTheProtocolAndTellTheClientsNode() throws Exception {
        StreamRecorder subscriber = subscribeAll();
        long before = System.currentTimeMillis();

        client.joinChan("1", "room");
        client.joinChan("2", "room");
        client.joinChan("1", "room"); // idempotent

        assertThat(redis.hkeys("im:chan:room")).containsExactlyInAnyOrder("1", "2");
        assertThat(Long.parseLong(redis.hget("im:chan:room", "1"))).isBetween(before, System.currentTimeMillis());
        assertThat(redis.smembers("im:client:1:chans")).containsExactly("room");
        assertThat(redis.smembers("im:client:2:chans")).containsExactly("room");
        assertThat(redis.smembers("im:chans")).containsExactly("room");
        subscriber.sync();
        assertThat(subscriber.messages())
                .extracting(StreamRecorder.Message::stream, StreamRecorder.Message::body)
                .containsExactly(
                        tuple("im:node:" + NODE_1, membership("join", "1")),
                        tuple("im:node:" + NODE_0, membership("join", "2")),
                        tuple("im:node:" + NODE_1, membership("join", "1")));

        client.leaveChan("1", "room");

        assertThat(redis.hkeys("im:chan:room")).containsExactly("2");
        assertThat(redis.exists("im:client:1:chans")).isFalse();
        assertThat(redis.smembers("im:chans")).containsExactly("room");

        client.leaveChan("2", "room");
        client.leaveChan("2", "room"); // idempotent

        assertThat(redis.exists("im:chan:room")).isFalse();
        assertThat(redis.exists("im:client:2:chans")).isFalse();
        assertThat(redis.smembers("im:chans")).isEmpty();
        subscriber.sync();
        List<StreamRecorder.Message> leaves =
                subscriber.messages().subList(3, subscriber.messages().size());
        assertThat(leaves)
                .extracting(StreamRecorder.Message::stream, StreamRecorder.Message::body)
                .containsExactly(
                        tuple("im:node:" + NODE_1, membership("leave", "1")),
                        tuple("im:node:" + NODE_0, membership("leave", "2")),
                        tuple("im:node:" + NODE_0, membership("leave", "2")));
        assertThat(redis.keys("*"))
                .as("only the inboxes are left, for their nodes to read and trim")
                .containsExactlyInAnyOrder("im:node:" + NODE_0, "im:node:" + NODE_1);
    }

    private static String membership(String type, String clientId) {
        return "{\"v\":1,\"type\":\"" + type + "\",\"clientId\":\"" + clientId + "\",\"chans\":[\"room\"]}";
    }

    @Test
    void channelQueriesReadTheMembershipKeys() {
        client.joinChan("1", "room");
        client.joinChan("2", "room");
        client.joinChan("2", "other");

        assertThat(client.getChanClientList("room")).containsExactlyInAnyOrder("1", "2");
        assertThat(client.getChanClientList("nobody")).isEmpty();
        assertThat(client.getChanListByClientId("2")).containsExactlyInAnyOrder("room", "other");
        assertThat(client.getChanListByClientId("3")).isEmpty();
        assertThat(client.getChanList()).containsExactly(new ChannelInfo("other", 0), new ChannelInfo("room", 0));
    }

    // --- online state

    @Test
    void onlineStateComesFromAliveNodesOnly() {
        long now = System.currentTimeMillis();
        fakeNode(NODE_0, now, Map.of("2", "1", "4", "0", "6", "3"));
        fakeNode(NODE_1, now - 60_000, Map.of("1", "2")); // stale lease: its clients are offline
        fakeNode("127.0.0.1:6009", now, Map.of("9", "1")); // not in servers: ignored
        client.joinChan("1", "room");
        client.joinChan("2", "room");
        client.joinChan("4", "room");
        client.joinChan("2", "other");
        client.joinChan("3", "other");

        assertThat(client.getClientListByOnline()).containsExactlyInAnyOrder("2", "6");
        assertThat(client.hasOnline("2")).isTrue();
        assertThat(client.hasOnline("4")).isFalse(); // count 0
        assertThat(client.hasOnline("8")).isFalse(); // not listed
        assertThat(client.hasOnline("1")).isFalse(); // its node is dead
        assertThat(client.getChanOnline("room")).isEqualTo(1);
        assertThat(client.getChanOnline("nobody")).isZero();
        assertThat(client.getChanList()).containsExactly(new ChannelInfo("other", 1), new ChannelInfo("room", 1));

        fakeNode(NODE_1, System.currentTimeMillis(), Map.of("1", "2", "3", "1"));

        assertThat(client.getClientListByOnline()).containsExactlyInAnyOrder("1", "2", "3", "6");
        assertThat(client.hasOnline("1")).isTrue();
        assertThat(client.getChanOnline("room")).isEqualTo(2);
        assertThat(client.getChanList()).containsExactly(new ChannelInfo("other", 2), new ChannelInfo("room", 2));

        redis.hdel("im:nodes", NODE_0); // a node without a lease is dead
        redis.hset("im:nodes", NODE_1, "not json"); // so is one with a broken lease

        assertThat(client.getClientListByOnline()).isEmpty();
        assertThat(client.hasOnline("2")).isFalse();
        assertThat(client.getChanOnline("room")).isZero();
    }

    @Test
    void theNodeLeaseIsConfigurable() {
        ImClient longLease = ImClient.create(
                client.options().toBuilder().nodeLease(Duration.ofMinutes(5)).build());
        toClose.add(longLease);
        fakeNode(NODE_1, System.currentTimeMillis() - 60_000, Map.of("1", "1"));

        assertThat(client.hasOnline("1")).isFalse();
        assertThat(longLease.hasOnline("1")).isTrue();
    }

    // --- broadcast, channel message, kick

    @Test
    void chanBroadcastAndKickPublishTheirEnvelopes() throws Exception {
        StreamRecorder subscriber = subscribeAll();

        String chanId = client.sendChanMessage("2", "room", Map.of("a", 1));
        String allId = client.sendBroadcastMessage("to everyone");
        client.forceOffline("1");

        subscriber.sync();
        List<String> broadcast = subscriber.on("im:broadcast");
        JsonNode chan = json(broadcast.get(0));
        assertThat(chan.get("v").asInt()).isEqualTo(1);
        assertThat(chan.get("type").asText()).isEqualTo("chan");
        assertThat(chan.get("id").asText()).isEqualTo(chanId);
        assertThat(chan.get("from").asText()).isEqualTo("2");
        assertThat(chan.get("chan").asText()).isEqualTo("room");
        assertThat(chan.get("data").get("a").asInt()).isEqualTo(1);
        assertThat(chan.get("ts").asLong()).isPositive();
        JsonNode all = json(broadcast.get(1));
        assertThat(all.get("type").asText()).isEqualTo("all");
        assertThat(all.get("id").asText()).isEqualTo(allId);
        assertThat(all.get("from").asText()).isEmpty();
        assertThat(all.get("data").isTextual()).isTrue();
        assertThat(all.get("data").asText()).isEqualTo("to everyone");
        assertThat(subscriber.on("im:node:" + NODE_1))
                .first()
                .isEqualTo("{\"v\":1,\"type\":\"kick\",\"clientId\":\"1\"}");
        assertThat(subscriber.messages()).hasSize(3);
    }

    // --- event bus

    @Test
    void eventBusDeliversOnlineAndOfflineEventsAndSurvivesGarbage() throws Exception {
        List<PresenceEvent> online = new CopyOnWriteArrayList<>();
        List<PresenceEvent> offline = new CopyOnWriteArrayList<>();
        Consumer<PresenceEvent> failingOnce = new Consumer<>() {
            private boolean failed;

            @Override
            public void accept(PresenceEvent event) {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("callback bug");
                }
                online.add(event);
            }
        };
        EventBus bus = client.eventBus(failingOnce, offline::add);
        assertThat(bus.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

        xadd(redis, "im:events", "not json");
        xadd(
                redis,
                "im:events",
                "{\"v\":2,\"type\":\"online\",\"clientId\":\"1\",\"metadata\":\"\",\"node\":\"n\","
                        + "\"reason\":\"connect\",\"ts\":1}");
        xadd(redis, "im:events", "{\"v\":1,\"type\":\"kick\",\"clientId\":\"1\"}");
        xadd(
                redis,
                "im:events",
                "{\"v\":1,\"type\":\"online\",\"clientId\":\"\",\"metadata\":\"\",\"node\":\"n\","
                        + "\"reason\":\"connect\",\"ts\":1}");
        xadd(redis, "im:events", onlineEvent("0")); // the callback throws on this one
        xadd(redis, "im:events", onlineEvent("1"));
        xadd(
                redis,
                "im:events",
                "{\"v\":1,\"type\":\"offline\",\"clientId\":\"1\",\"metadata\":\"web\"," + "\"node\":\"" + NODE_1
                        + "\",\"reason\":\"kick\",\"ts\":1700000000001}");

        await().atMost(Duration.ofSeconds(10)).until(() -> offline.size() == 1);
        assertThat(online).singleElement().satisfies(event -> {
            assertThat(event.clientId()).isEqualTo("1");
            assertThat(event.metadata()).isEqualTo("web");
            assertThat(event.node()).isEqualTo(NODE_1);
            assertThat(event.reason()).isEqualTo("connect");
            assertThat(event.ts()).isEqualTo(1700000000000L);
        });
        assertThat(offline.get(0).reason()).isEqualTo("kick");
        assertThat(bus.invalidMessages()).isEqualTo(4);
        assertThat(bus.callbackFailures()).isEqualTo(1);
        assertThat(bus.eventsReceived()).isEqualTo(3);
        assertThat(bus.isSubscribed()).isTrue();

        bus.close();

        assertThat(bus.isSubscribed()).isFalse();
        assertThat(bus.isClosed()).isTrue();
        try (Jedis admin = new Jedis(REDIS.host(), REDIS.port())) {
            assertThat(admin.clientList()).as("nobody reads any more").doesNotContain("cmd=xread");
        }
    }

    /** {@code XADD key MAXLEN ~ 100000 * e envelope}, as a raw publisher does. */
    private static void xadd(UnifiedJedis redis, String key, String envelope) {
        redis.xadd(key, Streams.addParams(100_000), Streams.entry(envelope));
    }

    private static String onlineEvent(String clientId) {
        return "{\"v\":1,\"type\":\"online\",\"clientId\":\"" + clientId + "\",\"metadata\":\"web\",\"node\":\""
                + NODE_1 + "\",\"reason\":\"connect\",\"ts\":1700000000000}";
    }

    @Test
    void eventBusSubscribesAgainAfterRedisRestarts() throws Exception {
        List<String> online = new CopyOnWriteArrayList<>();
        EventBus bus = client.eventBus(event -> online.add(event.clientId()), null);
        assertThat(bus.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

        REDIS.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !bus.isSubscribed());
        assertThatThrownBy(() -> client.sendBroadcastMessage("while down")).isInstanceOf(ImConnectionException.class);
        REDIS.start();

        assertThat(bus.awaitSubscribed(Duration.ofSeconds(15))).isTrue();
        assertThat(bus.subscriptions()).isEqualTo(2);
        try (RedisClient fresh = REDIS.newJedis()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                xadd(fresh, "im:events", onlineEvent("1"));
                assertThat(online).contains("1");
            });
        }
        assertThat(bus.isClosed()).isFalse();
    }

    @Test
    void eventBusStopsQuicklyEvenWhileRedisIsDown() {
        EventBus bus = client.eventBus(event -> {}, event -> {});
        REDIS.stop();

        assertTimeoutPreemptively(Duration.ofSeconds(5), bus::close);

        assertThat(bus.isSubscribed()).isFalse();
    }

    @Test
    void closingTheClientClosesItsEventBuses() throws Exception {
        ImClient other = newClient(List.of(NODE_0));
        EventBus bus = other.eventBus(event -> {}, null);
        assertThat(bus.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

        other.close();

        assertThat(bus.isClosed()).isTrue();
        assertThat(bus.isSubscribed()).isFalse();
        assertThatThrownBy(() -> other.hasOnline("1")).isInstanceOf(IllegalStateException.class);
    }

    // --- failures

    @Test
    void redisRefusingConnectionsGivesAConnectionException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ImClient down = ImClient.create(client.options().toBuilder()
                .redisUri("redis://127.0.0.1:" + closedPort)
                .build());
        toClose.add(down);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> down.sendMessage("1", List.of("2"), "x", false))
                    .isInstanceOf(ImConnectionException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort)
                    .hasCauseInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
            assertThatThrownBy(down::getClientListByOnline).isInstanceOf(ImConnectionException.class);
        });
    }

    @Test
    void aRedisThatNeverAnswersGivesAConnectionExceptionWithinTheSocketTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ImClient hanging = ImClient.create(client.options().toBuilder()
                    .redisUri("redis://127.0.0.1:" + silent.getLocalPort())
                    .socketTimeout(Duration.ofMillis(300))
                    .build());
            toClose.add(hanging);

            long start = System.nanoTime();
            assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> assertThatThrownBy(() -> hanging.prevConnectServer("1", ""))
                            .isInstanceOf(ImConnectionException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    @SuppressWarnings("deprecation") // RedisClient.sendCommand: the only way to send ACL SETUSER here
    void userAndPasswordInTheUriAuthenticateCommandsAndTheEventBus() throws Exception {
        redis.sendCommand(Protocol.Command.ACL, "SETUSER", "app", "on", ">s3cret", "~*", "&*", "+@all");
        try {
            ImClientOptions base = client.options();
            String authenticated = "redis://app:s3cret@" + REDIS.host() + ":" + REDIS.port() + "/0";
            ImClient withUser =
                    ImClient.create(base.toBuilder().redisUri(authenticated).build());
            toClose.add(withUser);
            ImClient wrongPassword = ImClient.create(base.toBuilder()
                    .redisUri("redis://app:wrong@" + REDIS.host() + ":" + REDIS.port())
                    .build());
            toClose.add(wrongPassword);

            withUser.joinChan("1", "room");
            EventBus bus = withUser.eventBus(event -> {}, null);

            assertThat(redis.hkeys("im:chan:room")).containsExactly("1");
            assertThat(bus.awaitSubscribed(Duration.ofSeconds(10))).isTrue();
            assertThat(withUser.toString()).doesNotContain("s3cret");
            assertThatThrownBy(() -> wrongPassword.joinChan("1", "room"))
                    .isInstanceOf(ImException.class)
                    .hasMessageNotContaining("wrong");
        } finally {
            redis.sendCommand(Protocol.Command.ACL, "DELUSER", "app");
        }
    }

    @Test
    void aClosedClientRejectsCalls() {
        client.close();
        client.close(); // idempotent

        assertThat(client.isClosed()).isTrue();
        assertThatThrownBy(() -> client.sendBroadcastMessage("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
