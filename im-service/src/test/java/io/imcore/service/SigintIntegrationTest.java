package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.client.ImClient;
import io.imcore.client.ImClientOptions;
import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.FreePorts;
import io.imcore.service.support.NodeProcess;
import io.imcore.service.support.PresenceRecorder;
import io.imcore.testkit.TestTerminal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Ctrl-C in the terminal that runs the first command of the README: SIGINT to the whole foreground process
 * group of a node started with the top-level {@code config.yml} (its embedded Redis included, unless that runs
 * in a session of its own). It must stop as cleanly as SIGTERM: connections closed with 1001, the
 * {@code offline} event published and the node's keys removed while the embedded Redis still runs, that Redis
 * stopped last, exit status 0.
 */
class SigintIntegrationTest {
    static final int PORT = FreePorts.next();
    static final String SELF = "127.0.0.1:" + PORT;

    @Test
    void ctrlCToTheProcessGroupOfANodeOnTheTopLevelConfigStopsItAsCleanlyAsSigterm() throws Exception {
        String self = SELF;
        int adminPort = FreePorts.next();
        int redisPort = FreePorts.next();
        String redisUri = "redis://127.0.0.1:" + redisPort;
        Map<String, String> overrides = Map.of(
                "server.applicationConnectors[0].port",
                Integer.toString(PORT),
                "server.adminConnectors[0].port",
                Integer.toString(adminPort),
                "cluster.servers",
                self,
                "cluster.self",
                self,
                "redis.uri",
                redisUri,
                "redis.embedded.port",
                Integer.toString(redisPort));
        List<String> commands = new CopyOnWriteArrayList<>();
        try (NodeProcess node = NodeProcess.startInOwnProcessGroup(Path.of("..", "config.yml"), adminPort, overrides);
                ImClient client = ImClient.create(ImClientOptions.builder()
                        .redisUri(redisUri)
                        .servers(List.of(SELF))
                        .build());
                PresenceRecorder events = PresenceRecorder.start(client)) {
            TestTerminal frank = TestTerminal.connectReady(client.prevConnectServer("frank", "f"));
            events.awaitFirst(PresenceEvent.ONLINE, "frank");
            Thread monitor = monitor(redisPort, commands);

            node.interruptGroup();
            int status = node.awaitExit(Duration.ofSeconds(30));

            assertThat(status).as("exit status; log:\n%s", node.log()).isZero();
            assertThat(frank.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
            PresenceEvent offline = events.awaitFirst(PresenceEvent.OFFLINE, "frank");
            assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_SHUTDOWN);
            assertThat(offline.node()).isEqualTo(self);
            monitor.join(Duration.ofSeconds(10).toMillis());
            assertThat(commands)
                    .as("commands the embedded Redis ran before it stopped")
                    .anyMatch(line -> line.contains("\"DEL\" \"im:node:" + self + ":online\""))
                    .anyMatch(line -> line.contains("\"HDEL\" \"im:nodes\" \"" + self + "\""));
            assertThat(node.log())
                    .as("the node's log")
                    .contains("SIGINT: stopping")
                    .contains("node=" + self + " shut down 1 clients")
                    .contains("embedded Redis on 127.0.0.1:" + redisPort + " stopped")
                    .doesNotContain("WARN") // logback-access's version warnings included
                    .doesNotContain("The following paths were found"); // Jersey is not started
            assertThat(node.log().indexOf("shut down 1 clients"))
                    .isLessThan(node.log().indexOf("embedded Redis on 127.0.0.1:" + redisPort + " stopped"));
            assertThat(listens(redisPort)).as("embedded Redis still listening").isFalse();
        }
    }

    /** Records every command Redis runs from now on until it stops, on a thread of its own. */
    private static Thread monitor(int port, List<String> commands) {
        Jedis jedis = new Jedis("127.0.0.1", port);
        Thread thread = new Thread(
                () -> {
                    try (jedis) {
                        jedis.monitor(new JedisMonitor() {
                            @Override
                            public void onCommand(String command) {
                                commands.add(command);
                            }
                        });
                    } catch (RuntimeException stopped) {
                        // the embedded Redis stopped: the recording is complete
                    }
                },
                "redis-monitor");
        thread.setDaemon(true);
        thread.start();
        // MONITOR answers OK before it streams: an ECHO of ours in the stream shows it has started
        try (Jedis probe = new Jedis("127.0.0.1", port)) {
            Awaitility.await("MONITOR streaming")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        probe.echo("monitor-on");
                        return commands.stream().anyMatch(line -> line.contains("\"monitor-on\""));
                    });
        }
        return thread;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
