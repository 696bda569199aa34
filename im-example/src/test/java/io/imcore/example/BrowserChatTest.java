package io.imcore.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.example.support.Browsers;
import io.imcore.example.support.ChatPage;
import io.imcore.example.support.DemoStack;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The demo chat in real headless Chromium: group chat, private messages with receipts, file transfer. */
class BrowserChatTest {
    @RegisterExtension
    @Order(2)
    static final DemoStack STACK = new DemoStack();

    @RegisterExtension
    @Order(3)
    final Browsers browsers = new Browsers();

    @Test
    void twoBrowsersInAChannelSeeEachOthersMessages() {
        ChatPage alice = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "alice");
        ChatPage bob = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "bob");
        alice.join("room");
        bob.join("room");
        alice.awaitOnlineCount("room", 2);

        alice.send("chan:room", "hi from alice");
        WebElement atBob = bob.awaitEntry("chan", "hi from alice");
        assertThat(atBob.getDomAttribute("data-chan")).isEqualTo("room");
        assertThat(atBob.getDomAttribute("data-from")).isEqualTo("alice");
        alice.awaitEntry("chan", "hi from alice"); // a member gets its own group message too

        bob.send("chan:room", "hello alice, bob here");
        WebElement atAlice = alice.awaitEntry("chan", "hello alice, bob here");
        assertThat(atAlice.getDomAttribute("data-from")).isEqualTo("bob");

        alice.awaitEntry("presence", "bob is online"); // eventBus → demo → #lobby → page

        bob.send("user:alice", "lunch at noon?"); // and a private word on the side, with its receipt
        alice.awaitEntry("msg", "lunch at noon?");
        bob.awaitReceipt("lunch at noon?", "delivered");
        bob.scrollLogToEnd();
        assertThat(Browsers.screenshot(bob.driver(), "chat")).exists();
    }

    @Test
    void aPrivateMessageShowsDeliveredThenOfflineOnceTheReceiversPageIsClosed() {
        ChatPage carol = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "carol");
        ChatPage dave = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "dave");

        carol.send("user:dave", "psst, dave");
        WebElement atDave = dave.awaitEntry("msg", "psst, dave");
        assertThat(atDave.getDomAttribute("data-from")).isEqualTo("carol");
        carol.awaitReceipt("psst, dave", "delivered");
        assertThat(carol.awaitEntry("sent", "psst, dave")
                        .findElement(By.className("receipt"))
                        .getText())
                .isEqualTo("delivered ✓");

        carol.send("chan:lobby", "back to the lobby"); // dave is no longer the selected target when he leaves
        carol.awaitEntry("chan", "back to the lobby");
        browsers.quit(dave.driver());
        carol.awaitEntry("presence", "dave is offline");
        carol.send("user:dave", "are you still there?"); // a user seen online stays selectable, marked (offline)
        // with acks, "offline" once dave's session is over: his page's resume window (8 s here) ran out
        carol.awaitReceipt("are you still there?", "offline");

        carol.scrollLogToEnd();
        assertThat(Browsers.screenshot(carol.driver(), "chat-private")).exists();
    }

    @Test
    void aFileSentFromThePageIsAnnouncedTransferringThenDoneWithALink() throws Exception {
        ChatPage erin = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "erin");
        ChatPage frank = ChatPage.signIn(browsers.open(), STACK.demoUrl(), "frank");
        Path file = Files.createTempFile("notes-", ".txt");
        Files.writeString(file, "meeting notes\n");
        try {
            erin.sendFile("user:frank", file);

            frank.awaitEntry("file", "transferring");
            WebElement done = frank.awaitEntry("file", "sent you a file");
            WebElement link = done.findElement(By.tagName("a"));
            assertThat(link.getText()).isEqualTo(file.getFileName().toString());
            assertThat(link.getDomAttribute("href")).startsWith(STACK.demoUrl() + "api/files/");
            erin.awaitReceipt(file.getFileName().toString(), "delivered");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
