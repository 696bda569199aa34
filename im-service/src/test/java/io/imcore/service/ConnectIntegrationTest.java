package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.Servers;
import io.imcore.protocol.Tokens;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawHttp;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md section 2 on one node: the token check before the upgrade, and the {@code hello} frame. */
class ConnectIntegrationTest {
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode();

    static final Keys KEYS = Keys.withDefaultPrefix();

    private static String connectUrl() {
        return Servers.connectUrl(CLUSTER.entry(0));
    }

    private static String tokenOf(String url) {
        return url.substring(url.indexOf("?token=") + "?token=".length());
    }

    @Test
    void helloIsTheFirstFrameWithClientIdSelfEntryAndHeartbeat() {
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = TestTerminal.connect(CLUSTER.client().prevConnectServer(alice, "web"))) {
            JsonNode hello = parse(terminal.nextRaw());

            assertThat(hello.path("v").asInt()).isEqualTo(1);
            assertThat(hello.path("type").asText()).isEqualTo("hello");
            assertThat(hello.path("clientId").asText()).isEqualTo(alice);
            assertThat(hello.path("node").asText()).isEqualTo(CLUSTER.entry(0));
            assertThat(hello.path("heartbeat").isIntegralNumber())
                    .as("heartbeat is a number of seconds")
                    .isTrue();
            assertThat(hello.path("heartbeat").asLong())
                    .isEqualTo(CLUSTER.node(0)
                            .getConfiguration()
                            .getWebsocket()
                            .getHeartbeat()
                            .toSeconds())
                    .isEqualTo(5);
            assertThat(terminal.history()).as("hello is the first frame").hasSize(1);
        }
    }

    @Test
    void connectUrlNamesTheNodesWsEndpointAndAOneTimeToken() {
        String url = CLUSTER.client().prevConnectServer(UniqueIds.of("alice"), "");

        assertThat(url).startsWith(connectUrl() + "?token=");
        String token = tokenOf(url);
        assertThat(Tokens.isWellFormed(token))
                .as("token %s is 43 base64url characters", token)
                .isTrue();
        assertThat(CLUSTER.redis().ttl(KEYS.token(token))).isBetween(1L, 30L);
    }

    @Test
    void aMessagePublishedRightAfterHelloIsDelivered() {
        String alice = UniqueIds.of("alice");
        try (TestTerminal terminal = CLUSTER.connect(alice, "")) {
            String id = CLUSTER.client().sendMessage("", List.of(alice), "first");

            JsonNode msg = terminal.next();
            assertThat(msg.path("type").asText()).isEqualTo("msg");
            assertThat(msg.path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void aTokenIsConsumedByItsFirstUse() {
        String alice = UniqueIds.of("alice");
        String url = CLUSTER.client().prevConnectServer(alice, "");
        try (TestTerminal first = TestTerminal.connectReady(url)) {
            assertThat(CLUSTER.redis().exists(KEYS.token(tokenOf(url))))
                    .as("token key after use")
                    .isFalse();

            assertThat(TestTerminal.refusalStatus(url))
                    .as("reuse while the first connection is open")
                    .isEqualTo(401);
            assertThat(first.isOpen()).isTrue();
        }
    }

    @Test
    void aReusedTokenIsRefusedWith401AfterTheFirstConnectionClosed() {
        String url = CLUSTER.client().prevConnectServer(UniqueIds.of("alice"), "");
        TestTerminal.connectReady(url).close();

        assertThat(TestTerminal.refusalStatus(url)).isEqualTo(401);
    }

    @Test
    void anUnknownWellFormedTokenIsRefusedWith401() {
        assertThat(TestTerminal.refusalStatus(connectUrl() + "?token=" + Tokens.newToken()))
                .isEqualTo(401);
    }

    static Stream<String> missingOrMalformedTokenQueries() {
        return Stream.of(
                "",
                "?other=1",
                "?token=",
                "?token=short",
                "?token=" + "A".repeat(Tokens.LENGTH + 1),
                "?token=" + "A".repeat(Tokens.LENGTH - 1) + "=",
                "?token=" + "%2B".repeat(Tokens.LENGTH),
                "?token=" + "%C3%A9".repeat(Tokens.LENGTH));
    }

    @ParameterizedTest(name = "query \"{0}\"")
    @MethodSource("missingOrMalformedTokenQueries")
    void aMissingOrMalformedTokenIsRefusedWith401(String query) {
        assertThat(TestTerminal.refusalStatus(connectUrl() + query)).isEqualTo(401);
    }

    @Test
    void twoTokenParametersAreRefusedWith401() {
        String first = tokenOf(CLUSTER.client().prevConnectServer(UniqueIds.of("alice"), ""));
        String second = tokenOf(CLUSTER.client().prevConnectServer(UniqueIds.of("bob"), ""));

        assertThat(TestTerminal.refusalStatus(connectUrl() + "?token=" + first + "&token=" + second))
                .isEqualTo(401);
    }

    @Test
    void theRefusalIsAShortPlainTextReason() {
        HttpResponse<?> unknown = RawHttp.refusedUpgrade(connectUrl() + "?token=" + Tokens.newToken());
        assertPlainTextRefusal(unknown, 401);
        assertThat(body(unknown)).containsIgnoringCase("token");

        HttpResponse<?> missing = RawHttp.refusedUpgrade(connectUrl());
        assertPlainTextRefusal(missing, 401);
        assertThat(body(missing)).containsIgnoringCase("missing");
    }

    @Test
    void anExpiredTokenIsRefusedWith401() {
        ImClientOptions shortLived = CLUSTER.client().options().toBuilder()
                .tokenTtl(Duration.ofSeconds(1))
                .build();
        try (ImClient hurried = ImClient.create(shortLived)) {
            String url = hurried.prevConnectServer(UniqueIds.of("alice"), "");
            await("token to expire")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !CLUSTER.redis().exists(KEYS.token(tokenOf(url))));

            assertThat(TestTerminal.refusalStatus(url)).isEqualTo(401);
        }
    }

    @ParameterizedTest(name = "stored value {0}")
    @ValueSource(
            strings = {
                "not json at all",
                "{\"v\":1,\"clientId\":\"alice\",\"metadata\":",
                "[\"alice\"]",
                "\"alice\"",
                "{}",
                "{\"v\":2,\"clientId\":\"alice\",\"metadata\":\"\"}",
                "{\"clientId\":\"alice\",\"metadata\":\"\"}",
                "{\"v\":1,\"metadata\":\"\"}",
                "{\"v\":1,\"clientId\":\"\",\"metadata\":\"\"}",
                "{\"v\":1,\"clientId\":\"bad\\u0001id\",\"metadata\":\"\"}"
            })
    void aStoredValueThatIsNotAValidTokenPayloadIsRefusedWith401AndSpent(String stored) {
        String token = Tokens.newToken();
        CLUSTER.redis().setex(KEYS.token(token), 30, stored);

        assertThat(TestTerminal.refusalStatus(connectUrl() + "?token=" + token)).isEqualTo(401);
        assertThat(CLUSTER.redis().exists(KEYS.token(token)))
                .as("the token is spent")
                .isFalse();
        assertThat(CLUSTER.redis().hexists(KEYS.nodeOnline(CLUSTER.entry(0)), "alice"))
                .as("nobody registered")
                .isFalse();
    }

    /** PROTOCOL.md section 2: the form is {"v":1,"clientId":"…","metadata":"…"}, both JSON strings. */
    @ParameterizedTest(name = "stored value {0}")
    @ValueSource(
            strings = {
                "{\"v\":1,\"clientId\":42,\"metadata\":\"\"}",
                "{\"v\":1,\"clientId\":true,\"metadata\":\"\"}",
                "{\"v\":1,\"clientId\":\"alice\",\"metadata\":5}"
            })
    void aStoredValueWithANonStringFieldIsRefusedWith401(String stored) {
        String token = Tokens.newToken();
        CLUSTER.redis().setex(KEYS.token(token), 30, stored);

        assertThat(TestTerminal.refusalStatus(connectUrl() + "?token=" + token)).isEqualTo(401);
    }

    @Test
    void aHandWrittenValidTokenIsAccepted() {
        String alice = UniqueIds.of("alice");
        String token = Tokens.newToken();
        CLUSTER.redis().setex(KEYS.token(token), 30, "{\"v\":1,\"clientId\":\"" + alice + "\",\"metadata\":\"m\"}");

        try (TestTerminal terminal = TestTerminal.connectReady(connectUrl() + "?token=" + token)) {
            assertThat(parse(terminal.history().get(0)).path("clientId").asText())
                    .isEqualTo(alice);
        }
    }

    @Test
    void aPlainGetWithoutUpgradeIsRefusedWith400() {
        HttpResponse<String> response = RawHttp.get("http://" + CLUSTER.entry(0) + "/ws?token=" + Tokens.newToken());

        assertPlainTextRefusal(response, 400);
        assertThat(response.body()).containsIgnoringCase("websocket");
    }

    private static void assertPlainTextRefusal(HttpResponse<?> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        String body = body(response);
        assertThat(body).isNotBlank();
        assertThat(body.getBytes(StandardCharsets.UTF_8).length)
                .as("reason size")
                .isLessThanOrEqualTo(1024);
    }

    private static String body(HttpResponse<?> response) {
        Object body = response.body();
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return body == null ? "" : body.toString();
    }

    private static JsonNode parse(String frame) {
        try {
            return Codec.mapper().readTree(frame);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }
}
