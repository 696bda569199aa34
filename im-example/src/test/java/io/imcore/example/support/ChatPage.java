package io.imcore.example.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The demo's chat page in one browser, driven as a user would: typing and clicking. */
public final class ChatPage {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebDriver driver;
    private final String nickname;

    private ChatPage(WebDriver driver, String nickname) {
        this.driver = driver;
        this.nickname = nickname;
    }

    /** Opens the page at {@code url}, signs in as {@code nickname} and waits until it is connected. */
    public static ChatPage signIn(WebDriver driver, String url, String nickname) {
        driver.get(url);
        ChatPage page = new ChatPage(driver, nickname);
        page.element(By.id("nickname")).sendKeys(nickname);
        page.element(By.id("connect")).click();
        page.awaitState("open", WAIT);
        return page;
    }

    /**
     * {@link #signIn}, with {@code from} replaced by {@code to} in every connect URL the page gets from the demo's
     * {@code /api/pre-connect} (such as {@code ":<node port>/"} by a {@code TcpProxy}'s {@code ":<its port>/"}, so
     * that the test can drop the page's connection).
     */
    public static ChatPage signInThrough(WebDriver driver, String url, String nickname, String from, String to) {
        driver.get(url);
        ((JavascriptExecutor) driver)
                .executeScript(
                        String.join(
                                "\n",
                                "const from = arguments[0], to = arguments[1];",
                                "const fetchFirst = window.fetch;",
                                "window.fetch = async (...args) => {",
                                "  const res = await fetchFirst(...args);",
                                "  if (!String(args[0]).includes('/api/pre-connect') || !res.ok) return res;",
                                "  const json = await res.json();",
                                "  json.url = json.url.replace(from, to);",
                                "  return new Response(JSON.stringify(json),",
                                "    { status: res.status, headers: { 'Content-Type': 'application/json' } });",
                                "};"),
                        from,
                        to);
        ChatPage page = new ChatPage(driver, nickname);
        page.element(By.id("nickname")).sendKeys(nickname);
        page.element(By.id("connect")).click();
        page.awaitState("open", WAIT);
        return page;
    }

    public WebDriver driver() {
        return driver;
    }

    public String nickname() {
        return nickname;
    }

    /** Waits until imcore.js reports {@code state} (the status badge's {@code data-state}). */
    public void awaitState(String state, Duration timeout) {
        new WebDriverWait(driver, timeout)
                .withMessage(() -> nickname + "'s page never reached state " + state + "; status: " + statusText())
                .until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state));
    }

    /** The state shown now. */
    public String state() {
        return driver.findElement(By.id("status")).getDomAttribute("data-state");
    }

    public String statusText() {
        return driver.findElement(By.id("status")).getText();
    }

    /** Joins {@code chan} with the join form and waits until the channel list shows it joined. */
    public void join(String chan) {
        WebElement input = element(By.id("new-chan"));
        input.clear();
        input.sendKeys(chan);
        element(By.id("join-chan")).click();
        element(By.cssSelector("#channels li.joined[data-chan='" + chan + "']"));
    }

    /** Waits until the channel list shows {@code chan} with {@code online} members online. */
    public void awaitOnlineCount(String chan, int online) {
        wait(WAIT)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#channels li[data-chan='" + chan + "'][data-online='" + online + "']")));
    }

    /** Sends {@code text} to a channel ({@code chan:<name>}) or a person ({@code user:<id>}). */
    public void send(String target, String text) {
        selectTarget(target);
        WebElement input = element(By.id("text"));
        input.sendKeys(text);
        element(By.id("send")).click();
    }

    /** Sends the file at {@code file} to {@code user:<id>} with the file form. */
    public void sendFile(String target, Path file) {
        selectTarget(target);
        driver.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        element(By.id("send-file")).click();
    }

    /** Waits for a log entry of {@code type} (chan, msg, presence, file, sent, kicked…) containing {@code text}. */
    public WebElement awaitEntry(String type, String text) {
        return awaitEntry(type, text, WAIT);
    }

    public WebElement awaitEntry(String type, String text, Duration timeout) {
        By locator = By.xpath("//ol[@id='log']/li[@data-type='" + type + "'][contains(., " + xpathLiteral(text) + ")]");
        return wait(timeout)
                .withMessage(() -> nickname + "'s log has no " + type + " entry with '" + text + "'; log:\n" + log())
                .until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    /** Waits until the receipt of the private message or file {@code text} this page sent shows {@code status}. */
    public void awaitReceipt(String text, String status) {
        By locator = By.xpath("//ol[@id='log']/li[starts-with(@data-type, 'sent')][contains(., " + xpathLiteral(text)
                + ")]/span[@class='receipt'][@data-status='" + status + "']");
        wait(WAIT)
                .withMessage(() -> nickname + ": no '" + status + "' receipt for '" + text + "'; log:\n" + log())
                .until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    /** The receipt status shown now for the private message {@code text} this page sent (null when none). */
    public String receiptStatus(String text) {
        List<WebElement> badges = driver.findElements(By.xpath("//ol[@id='log']/li[starts-with(@data-type, 'sent')]"
                + "[contains(., " + xpathLiteral(text) + ")]/span[@class='receipt']"));
        return badges.isEmpty() ? null : badges.get(0).getDomAttribute("data-status");
    }

    /** The text of the whole log, one entry a line. */
    public String log() {
        List<WebElement> entries = driver.findElements(By.cssSelector("#log li"));
        StringBuilder text = new StringBuilder();
        for (WebElement entry : entries) {
            text.append(entry.getDomAttribute("data-type"))
                    .append(": ")
                    .append(entry.getText())
                    .append('\n');
        }
        return text.toString();
    }

    /** Whether the {@code reconnect} button (shown after a kick) is visible. */
    public boolean reconnectOffered() {
        return driver.findElement(By.id("reconnect")).isDisplayed();
    }

    public void clickReconnect() {
        element(By.id("reconnect")).click();
    }

    /** Scrolls the log to its end (for screenshots). */
    public void scrollLogToEnd() {
        ((JavascriptExecutor) driver)
                .executeScript("const log = document.getElementById('log'); log.scrollTop = log.scrollHeight;");
    }

    private void selectTarget(String target) {
        wait(WAIT)
                .withMessage(() -> nickname + " cannot choose " + target + " to send to")
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#target option[value='" + target + "']")));
        // The page rebuilds the list every few seconds: retry a selection that hit a replaced option.
        wait(WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            Select select = new Select(d.findElement(By.id("target")));
            select.selectByValue(target);
            return target.equals(d.findElement(By.id("target")).getDomProperty("value"));
        });
    }

    private WebElement element(By by) {
        return wait(WAIT).until(ExpectedConditions.elementToBeClickable(by));
    }

    private WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.pollingEvery(Duration.ofMillis(100));
        return wait;
    }

    private static String xpathLiteral(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }
}
