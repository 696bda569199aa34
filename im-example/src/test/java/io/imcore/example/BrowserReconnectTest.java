package io.imcore.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imcore.client.ImClient;
import io.imcore.example.core.ChatData;
import io.imcore.example.support.Browsers;
import io.imcore.example.support.ChatPage;
import io.imcore.example.support.DemoStack;
import io.imcore.testkit.TcpProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * imcore.js in real headless Chromium: it reconnects after a node restart, resumes after a dropped connection
 * (showing what it missed once, in order), and does not reconnect after a kick.
 */
class BrowserReconnectTest {
    private static final Duration RECONNECT = Duration.ofSeconds(40);

    @RegisterExtension
    @Order(2)
    static final DemoStack STACK = new DemoStack();

    @RegisterExtension
    @Order(3)
    final Browsers browsers = new Browsers();

    @Test
    void afterTheNodeStopsAndStartsAgainThePageReconnectsByItselfAndReceivesAgain() throws Exception {
        ChatPage gina = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "gina");
        gina.join("ops");
        try (ImClient business = STACK.newClient()) {
            STACK.stopNode();
            gina.awaitEntry("notice", "The node is restarting");
            assertThat(gina.state()).isIn("waiting", "connecting");
            assertThat(business.getChanClientList("ops")).doesNotContain("gina"); // a clean stop leaves channels

            STACK.startNode();
            gina.awaitState("open", RECONNECT);
            gina.awaitEntry("reconnected", "Reconnected to node " + STACK.nodeEntry(), RECONNECT);
            // the page's re-join hook joined its channel again
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> business.getChanClientList("ops").contains("gina"));

            business.sendChanMessage("opsbot", "ops", ChatData.text("channel works after the restart"));
            gina.awaitEntry("chan", "channel works after the restart");
            business.sendMessage("opsbot", List.of("gina"), ChatData.text("private works too"), false);
            gina.awaitEntry("msg", "private works too");
        }
    }

    @Test
    void aPageWhoseConnectionDropsResumesAndShowsWhatItMissedOnceInOrder() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", STACK.nodePort());
                ImClient business = STACK.newClient()) {
            ChatPage ivy = ChatPage.signInThrough(
                    browsers.open(), STACK.demoUrl(), "ivy", ":" + STACK.nodePort() + "/", ":" + proxy.port() + "/");
            ChatPage jack = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "jack");
            ivy.join("news");
            business.sendMessage("bot", List.of("ivy"), ChatData.text("before the drop"), false);
            ivy.awaitEntry("msg", "before the drop");
            jack.send("user:ivy", "hello ivy");
            jack.awaitReceipt("hello ivy", "delivered"); // ivy's browser acked it

            proxy.freeze(); // ivy's connection goes silent, as in a tunnel
            business.sendMessage("bot", List.of("ivy"), ChatData.text("missed one"), false);
            business.sendChanMessage("bot", "news", ChatData.text("missed in the channel"));
            business.sendMessage("bot", List.of("ivy"), ChatData.text("missed two"), false);
            jack.send("user:ivy", "missed three");
            jack.awaitReceipt("missed three", "sent");
            await("no ✓ before ivy's browser has it")
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> "sent".equals(jack.receiptStatus("missed three")));
            proxy.reset(); // then it dies: the page reconnects (through the proxy again) and resumes
            proxy.thaw();

            ivy.awaitEntry("reconnected", "messages sent meanwhile follow", RECONNECT);
            ivy.awaitEntry("msg", "missed three");
            jack.awaitReceipt("missed three", "delivered");
            business.sendMessage("bot", List.of("ivy"), ChatData.text("after the resume"), false);
            ivy.awaitEntry("msg", "after the resume");
            ivy.awaitEntry("chan", "missed in the channel");
            // once each; in order within a feed (the channel message travels on another one than private messages)
            List<String> missed =
                    ivy.log().lines().filter(line -> line.contains("missed")).toList();
            assertThat(missed).hasSize(4);
            assertThat(missed.stream().filter(line -> line.contains("missed in the channel")))
                    .hasSize(1);
            List<String> privates =
                    missed.stream().filter(line -> line.startsWith("msg:")).toList();
            assertThat(privates).hasSize(3);
            assertThat(privates.get(0)).contains("missed one");
            assertThat(privates.get(1)).contains("missed two");
            assertThat(privates.get(2)).contains("missed three");
            assertThat(ivy.log().lines().filter(line -> line.contains("before the drop")))
                    .hasSize(1);
        }
    }

    @Test
    void aKickedPageStaysDisconnectedUntilTheUserReconnects() throws Exception {
        ChatPage hank = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "hank");
        try (ImClient business = STACK.newClient()) {
            business.forceOffline("hank");

            hank.awaitState("kicked", Duration.ofSeconds(10));
            hank.awaitEntry("kicked", "will not reconnect automatically");
            // Longer than every automatic delay imcore.js would use first (1001: ≤ 2 s, backoff: ≤ 0.5 s).
            Thread.sleep(4000);
            assertThat(hank.state()).isEqualTo("kicked");
            assertThat(business.hasOnline("hank")).isFalse();
            assertThat(hank.reconnectOffered()).isTrue();

            hank.clickReconnect(); // only the user brings it back
            hank.awaitState("open", Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> business.hasOnline("hank"));
        }
    }
}
