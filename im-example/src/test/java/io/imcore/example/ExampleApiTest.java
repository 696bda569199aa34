package io.imcore.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.example.support.Api;
import io.imcore.example.support.Api.Answer;
import io.imcore.example.support.DemoStack;
import io.imcore.testkit.TestTerminal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo's HTTP API against a real node and Redis, with terminals speaking the wire protocol (no browser). */
class ExampleApiTest {
    @RegisterExtension
    static final DemoStack STACK = new DemoStack();

    private static Api api() {
        return new Api(STACK.demoUrl());
    }

    private static TestTerminal connect(String clientId) {
        Answer answer = api().post("/api/pre-connect", "{\"clientId\":" + Api.quote(clientId) + "}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return TestTerminal.connectReady(answer.json().path("url").asText());
    }

    @Test
    void preConnectAnswersTheUrlOfTheClientsNodeWithAOneTimeToken() {
        Answer answer = api().post("/api/pre-connect", "{\"clientId\":\"ann\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("clientId").asText()).isEqualTo("ann");
        assertThat(answer.json().path("url").asText()).startsWith("ws://" + STACK.nodeEntry() + "/ws?token=");
        try (TestTerminal ann =
                TestTerminal.connectReady(answer.json().path("url").asText())) {
            ann.send("{\"type\":\"ping\"}");
            assertThat(ann.next("pong", null).path("ts").asLong()).isPositive();
        }
    }

    static Stream<Arguments> badRequests() {
        String longName = "x".repeat(33);
        return Stream.of(
                Arguments.of("/api/pre-connect", null, "a JSON body is required"),
                Arguments.of("/api/pre-connect", "{}", "clientId is required"),
                Arguments.of("/api/pre-connect", "{\"clientId\":\"a b\"}", "clientId must be 1 to 32 letters"),
                Arguments.of("/api/pre-connect", "{\"clientId\":\"" + longName + "\"}", "clientId must be 1 to 32"),
                Arguments.of("/api/pre-connect", "{\"clientId\":\"a\\u0000\"}", "clientId must be 1 to 32"),
                Arguments.of("/api/pre-connect", "{\"clientId\":", "Unable to process JSON"),
                Arguments.of("/api/join", "{\"clientId\":\"ann\"}", "chan is required"),
                Arguments.of("/api/join", "{\"clientId\":\"ann\",\"chan\":\"#room\"}", "chan must be 1 to 32"),
                Arguments.of("/api/leave", "{\"clientId\":\"\",\"chan\":\"room\"}", "clientId is required"),
                Arguments.of(
                        "/api/send-channel",
                        "{\"from\":\"ann\",\"chan\":\"room\",\"text\":\"  \"}",
                        "text is required and must not be blank"),
                Arguments.of(
                        "/api/send-channel",
                        "{\"from\":\"ann\",\"chan\":\"room\",\"text\":\"" + "y".repeat(201) + "\"}",
                        "text is longer than 200 characters"),
                Arguments.of("/api/send", "{\"from\":\"ann\",\"text\":\"hi\"}", "to is required"),
                Arguments.of(
                        "/api/send",
                        "{\"from\":\"ann\",\"to\":\"bob\",\"text\":\"a\\u0007b\"}",
                        "text must not contain control characters"),
                Arguments.of("/api/send", "{\"to\":\"bob\",\"text\":\"hi\"}", "from is required"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badRequests")
    void everyBadInputIsAnswered400WithItsReason(String path, String body, String reason) {
        Answer answer = api().post(path, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.message()).contains(reason);
    }

    @Test
    void badQueryParametersAre400Too() {
        assertThat(api().get("/api/channels?clientId=a%20b").message()).contains("clientId must be 1 to 32");
        Answer noName = api().postBytes("/api/files?from=ann&to=bob", new byte[1]);
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.message()).isEqualTo("name is required");
        assertThat(noName.raw().headers().firstValue("Connection"))
                .as("unread body: connection not reused")
                .hasValue("close");
        Answer path = api().postBytes("/api/files?from=ann&to=bob&name=..%2Fetc%2Fpasswd", new byte[1]);
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.message()).contains("name must be a plain file name");
        Answer noTo = api().postBytes("/api/files?from=ann&name=a.txt", new byte[1]);
        assertThat(noTo.message()).isEqualTo("to is required");
    }

    @Test
    void onlyAMemberMaySendToAChannel() {
        Answer answer = api().post("/api/send-channel", "{\"from\":\"stranger\",\"chan\":\"lobby\",\"text\":\"hi\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.message()).isEqualTo("stranger has not joined lobby");
    }

    @Test
    void channelsListTheDefaultsAndOnlineCountsAndMembership() {
        try (TestTerminal dora = connect("dora")) {
            assertThat(api().post("/api/join", "{\"clientId\":\"dora\",\"chan\":\"books\"}")
                            .json()
                            .path("online")
                            .asLong())
                    .isEqualTo(1);

            JsonNode channels = api().get("/api/channels?clientId=dora").json();
            assertThat(channels.get(0).path("chan").asText()).isEqualTo("lobby");
            assertThat(channels.get(1).path("chan").asText()).isEqualTo("random");
            JsonNode books = find(channels, "books");
            assertThat(books.path("online").asLong()).isEqualTo(1);
            assertThat(books.path("joined").asBoolean()).isTrue();
            assertThat(find(api().get("/api/channels").json(), "books")
                            .path("joined")
                            .asBoolean())
                    .isFalse();
            assertThat(api().get("/api/online").json().toString()).contains("\"dora\"");

            api().post("/api/send-channel", "{\"from\":\"dora\",\"chan\":\"books\",\"text\":\"anyone?\"}");
            JsonNode chan = dora.next("chan", "text");
            assertThat(chan.path("chan").asText()).isEqualTo("books");
            assertThat(chan.path("from").asText()).isEqualTo("dora");
            assertThat(chan.path("data").path("text").asText()).isEqualTo("anyone?");

            assertThat(api().post("/api/leave", "{\"clientId\":\"dora\",\"chan\":\"books\"}")
                            .json()
                            .path("joined")
                            .asBoolean())
                    .isFalse();
            assertThat(api().get("/api/channels").json().toString()).doesNotContain("books");
        }
    }

    @Test
    void aPrivateMessageIsDeliveredAndItsSenderGetsTheReceipt() {
        try (TestTerminal eve = connect("eve");
                TestTerminal finn = connect("finn")) {
            Answer sent = api().post("/api/send", "{\"from\":\"eve\",\"to\":\"finn\",\"text\":\"hello finn\"}");
            String id = sent.json().path("id").asText();

            JsonNode msg = finn.next("msg", "text");
            assertThat(msg.path("from").asText()).isEqualTo("eve");
            assertThat(msg.path("data").path("text").asText()).isEqualTo("hello finn");
            JsonNode receipt = eve.next("receipt", null);
            assertThat(receipt.path("id").asText()).isEqualTo(id);
            assertThat(receipt.path("status").asText()).isEqualTo("delivered");

            String offlineId = api().post("/api/send", "{\"from\":\"eve\",\"to\":\"nobody\",\"text\":\"?\"}")
                    .json()
                    .path("id")
                    .asText();
            JsonNode offline = eve.next("receipt", null);
            assertThat(offline.path("id").asText()).isEqualTo(offlineId);
            assertThat(offline.path("status").asText()).isEqualTo("offline");
        }
    }

    @Test
    void aFileTransferTellsTheReceiverTransferringThenDoneWithALink() {
        try (TestTerminal gus = connect("gus");
                TestTerminal hal = connect("hal")) {
            byte[] content = "report body\n".getBytes(StandardCharsets.UTF_8);
            Answer sent = api().postBytes("/api/files?from=gus&to=hal&name=report%20%C3%A9.txt", content);
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);

            JsonNode transferring = hal.next("msg", "file");
            assertThat(transferring.path("from").asText()).isEqualTo("gus");
            assertThat(transferring.path("data").path("status").asText()).isEqualTo("transferring");
            assertThat(transferring.path("data").path("name").asText()).isEqualTo("report é.txt");
            JsonNode done = hal.next("msg", "file");
            assertThat(done.path("data").path("status").asText()).isEqualTo("done");
            assertThat(done.path("data").path("size").asLong()).isEqualTo(content.length);
            assertThat(done.path("id").asText())
                    .isEqualTo(sent.json().path("id").asText());
            assertThat(gus.next("receipt", null).path("status").asText()).isEqualTo("delivered");

            HttpResponse<byte[]> file =
                    api().getBytes(done.path("data").path("url").asText());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(content);
            assertThat(file.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename*=UTF-8''report%20%C3%A9.txt");
            assertThat(file.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(api().getBytes(STACK.demoUrl() + "api/files/00000000-0000-0000-0000-000000000000")
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedWith413() {
        Answer tooBig = api().postBytes("/api/files?from=ivy&to=jay&name=big.bin", new byte[64 * 1024 + 1]);

        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.message()).contains("larger than the limit of 65536 bytes");
    }

    @Test
    void onlineAndOfflineEventsReachThePagesInTheLobbyAsChannelNoticesNotAsBroadcasts() {
        try (TestTerminal kim = connect("kim");
                TestTerminal outsider = connect("out")) {
            assertThat(api().post("/api/join", "{\"clientId\":\"kim\",\"chan\":\"lobby\"}")
                            .status())
                    .isEqualTo(200);
            TestTerminal lou = connect("lou");
            JsonNode online = nextPresence(kim, "lou");
            assertThat(online.path("from").asText()).isEmpty();
            assertThat(online.path("chan").asText()).isEqualTo("lobby");
            assertThat(online.path("data").path("status").asText()).isEqualTo("online");

            lou.close();
            JsonNode offline = nextPresence(kim, "lou");
            assertThat(offline.path("data").path("status").asText()).isEqualTo("offline");
            assertThat(offline.path("data").path("reason").asText()).isEqualTo("disconnect");
            // a terminal not in the lobby (here: of another application on the same cluster) hears nothing
            outsider.send("{\"type\":\"ping\"}");
            assertThat(outsider.next().path("type").asText())
                    .as("its next frame")
                    .isEqualTo("pong");
        }
    }

    @Test
    void thePageAndTheClientAreServedAtTheRoot() {
        Answer index = api().get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("<title>ImCore chat demo</title>");
        Answer client = api().get("/imcore.js");
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.raw().headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(client.body()).contains("export class ImCoreClient");
    }

    private static JsonNode nextPresence(TestTerminal terminal, String clientId) {
        while (true) {
            JsonNode frame = terminal.next("chan", "presence");
            if (clientId.equals(frame.path("data").path("clientId").asText())) {
                return frame;
            }
        }
    }

    private static JsonNode find(JsonNode channels, String chan) {
        for (JsonNode channel : channels) {
            if (chan.equals(channel.path("chan").asText())) {
                return channel;
            }
        }
        throw new AssertionError(chan + " not in " + channels);
    }
}
