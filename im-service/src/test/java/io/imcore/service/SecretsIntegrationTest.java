package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.client.ImClient;
import io.imcore.protocol.Codec;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import io.imcore.protocol.Tokens;
import io.imcore.redis.MembershipView;
import io.imcore.service.config.ServerDefaults;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.RawHttp;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Secrets: connect tokens never reach a log, whatever happens to them (used, reused, unknown, of another
 * node, refused while Redis stalls), neither in the application log (io.imcore at DEBUG, the business
 * client's included) nor in the request log, whose format is left to its default here. The admin connector,
 * without a configured {@code bindHost}, listens on loopback only.
 */
class SecretsIntegrationTest {
    static final Path LOGS = Path.of("target", "secrets");

    static {
        try { // this class's own run only: the file appenders append
            Files.deleteIfExists(LOGS.resolve("node.log"));
            Files.deleteIfExists(LOGS.resolve("requests.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Node 1 never runs: a lease the test writes for it makes it a member, and its clients' tokens 421 on node 0. */
    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.ofSize(2).running(0).yaml("test-node-defaults.yml");

    @Test
    @SuppressWarnings("deprecation") // RedisClient.sendCommand: CLIENT PAUSE has no typed method here
    void noTokenReachesTheApplicationOrTheRequestLog() throws Exception {
        List<String> tokens = new ArrayList<>();
        // clients of its own, closed before the logs are read: the node writes the 503's request log line meanwhile
        try (ImClient client = ImClient.create(CLUSTER.clientOptions());
                RedisClient redis = CLUSTER.redisServer().newJedis()) {
            String used = client.prevConnectServer(CLUSTER.clientIdOn(0, "secret"), "");
            tokens.add(tokenOf(used));
            try (TestTerminal terminal = TestTerminal.connectReady(used)) {
                terminal.send("{\"type\":\"ping\",\"token\":\"" + tokenOf(used) + "\"}");
                assertThat(terminal.next().path("type").asText()).isEqualTo("pong");
            }
            assertThat(RawHttp.refusedUpgrade(used).statusCode()).isEqualTo(401);

            String unknown = Tokens.newToken();
            tokens.add(unknown);
            assertThat(RawHttp.refusedUpgrade(base(used) + "?token=" + unknown).statusCode())
                    .isEqualTo(401);

            long now = System.currentTimeMillis();
            redis.hset(
                    "im:nodes",
                    CLUSTER.entry(1),
                    Codec.encode(new NodeLease(
                            now, now, 0, Rendezvous.NAME, MembershipView.allowHash(CLUSTER.servers()), false)));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> CLUSTER.admin()
                                    .taskJson("membership", "")
                                    .path("members")
                                    .size()
                            == 2);
            String elsewhere = client.prevConnectServer(CLUSTER.clientIdOn(1, "secret"), "");
            tokens.add(tokenOf(elsewhere));
            assertThat(RawHttp.refusedUpgrade(base(used) + "?token=" + tokenOf(elsewhere))
                            .statusCode())
                    .isEqualTo(421);

            String stalled = client.prevConnectServer(CLUSTER.clientIdOn(0, UniqueIds.of("secret")), "");
            tokens.add(tokenOf(stalled));
            redis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "1500", "WRITE"); // GETDEL waits past 500 ms
            assertThat(RawHttp.refusedUpgrade(stalled).statusCode()).isEqualTo(503);
        }

        // the request log is written asynchronously, after each answer went out
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(read("node.log"))
                    .as("the application log was captured")
                    .contains("token check failed")
                    .contains("ImClient");
            assertThat(read("requests.log"))
                    .as("the request log was captured")
                    .contains("GET /ws ")
                    .contains(" 401 ")
                    .contains(" 421 ")
                    .contains(" 503 ");
        });
        String log = read("node.log");
        String requests = read("requests.log");
        for (String token : tokens) {
            assertThat(log).as("application log").doesNotContain(token);
            assertThat(requests).as("request log").doesNotContain(token);
        }
        assertThat(requests).doesNotContain("token=");
    }

    @Test
    void theAdminConnectorListensOnLoopbackWhenNoBindHostIsConfigured() {
        int adminPort = CLUSTER.node(0).getAdminPort();
        Optional<ServerConnector> admin = connectors().stream()
                .filter(ServerConnector.class::isInstance)
                .map(ServerConnector.class::cast)
                .filter(c -> c.getLocalPort() == adminPort)
                .findFirst();
        assertThat(admin).hasValueSatisfying(c -> assertThat(c.getHost()).isEqualTo(ServerDefaults.ADMIN_BIND_HOST));
        assertThat(canConnect(InetAddress.getLoopbackAddress(), adminPort)).isTrue();
        Optional<InetAddress> external = nonLoopbackAddress();
        external.ifPresent(address -> assertThat(canConnect(address, adminPort))
                .as("admin port on %s", address)
                .isFalse());
        // the application connector, by contrast, listens everywhere
        external.ifPresent(address ->
                assertThat(canConnect(address, CLUSTER.node(0).getLocalPort())).isTrue());
    }

    private static List<Connector> connectors() {
        return List.of(CLUSTER.node(0)
                .getTestSupport()
                .getEnvironment()
                .getApplicationContext()
                .getServer()
                .getConnectors());
    }

    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        if (address instanceof Inet4Address) {
                            return Optional.of(address);
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean canConnect(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static String tokenOf(String url) {
        return url.substring(url.indexOf("?token=") + "?token=".length());
    }

    private static String base(String url) {
        return url.substring(0, url.indexOf('?'));
    }

    private static String read(String file) throws IOException {
        return Files.readString(LOGS.resolve(file), StandardCharsets.UTF_8);
    }
}
