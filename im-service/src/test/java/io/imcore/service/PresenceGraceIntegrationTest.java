package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TcpProxy;
import io.imcore.testkit.TestTerminal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The offline grace ({@code websocket.resume.offlineDelay}): a client that drops and resumes within it makes no
 * offline/online pair and {@code hasOnline} stays true; one that stays away gets its offline after it.
 */
class PresenceGraceIntegrationTest {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode()
            .override("websocket.resume.window", "30s")
            .override("websocket.resume.offlineDelay", "2s")
            .withEvents();

    private TcpProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = TcpProxy.to("127.0.0.1", CLUSTER.port(0));
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private TestTerminal viaProxy(String clientId, String extra) {
        return TestTerminal.connect(proxy.rewrite(CLUSTER.client().prevConnectServer(clientId)) + extra);
    }

    private static JsonNode hello(TestTerminal terminal) {
        JsonNode hello = terminal.next();
        assertThat(hello.path("type").asText()).isEqualTo("hello");
        return hello;
    }

    @Test
    void aDropAndAResumeWithinTheGraceMakeNoOfflineOnlinePair() {
        String bob = UniqueIds.of("bob");
        TestTerminal first = viaProxy(bob, "&acks=1");
        JsonNode hello = hello(first);
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, bob);
        proxy.reset();
        first.awaitCloseCodeOrFailure();

        String resume = "&acks=1&session=" + hello.path("session").asText() + "&seq=0";
        try (TestTerminal again = viaProxy(bob, resume)) {
            assertThat(hello(again).path("resumed").asBoolean()).isTrue();
            assertThat(CLUSTER.client().hasOnline(bob)).isTrue();
            await("no offline event past the grace")
                    .during(GRACE.plusSeconds(1))
                    .atMost(GRACE.plusSeconds(5))
                    .until(() -> CLUSTER.events().of(PresenceEvent.OFFLINE, bob).isEmpty());
            assertThat(CLUSTER.events().of(bob)).extracting(PresenceEvent::type).containsExactly("online");
            assertThat(CLUSTER.client().hasOnline(bob)).isTrue();
        }
        PresenceEvent offline = CLUSTER.events().awaitFirst(PresenceEvent.OFFLINE, bob);
        assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_DISCONNECT);
    }

    @Test
    void aClientThatStaysAwayGoesOfflineAfterTheGraceAndHasOnlineFollows() {
        String bob = UniqueIds.of("bob");
        TestTerminal terminal = viaProxy(bob, "&acks=1");
        hello(terminal);
        CLUSTER.events().awaitFirst(PresenceEvent.ONLINE, bob);
        long closedAt = System.currentTimeMillis();
        terminal.close();

        PresenceEvent offline = CLUSTER.events().awaitFirst(PresenceEvent.OFFLINE, bob);
        assertThat(offline.ts() - closedAt)
                .as("offline only after the grace")
                .isGreaterThanOrEqualTo(GRACE.toMillis() - 100);
        assertThat(offline.reason()).isEqualTo(PresenceEvent.REASON_DISCONNECT);
        assertThat(CLUSTER.client().hasOnline(bob)).isFalse();
        assertThat(CLUSTER.events().of(bob)).extracting(PresenceEvent::type).containsExactly("online", "offline");
    }
}
