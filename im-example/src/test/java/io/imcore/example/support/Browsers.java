package io.imcore.example.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Real headless Chromium sessions for the browser tests, driven by Selenium through Debian's
 * {@code /usr/bin/chromedriver} and {@code /usr/bin/chromium} (other paths: system properties
 * {@code imcore.chromedriver} and {@code imcore.chromium}). Naming the driver executable keeps Selenium
 * Manager from looking for (or downloading) anything. Every browser a test opened is closed after it; a
 * failing test leaves a screenshot and the browser console of each page under {@code target/browser-failures}.
 *
 * <p>Without Chromium the tests fail with a message saying how to install it ({@code .ci/run} does); they
 * are skipped only when asked with {@code -Dimcore.browser.skip=true}.
 */
public final class Browsers implements BeforeAllCallback, AfterEachCallback {
    /** Where screenshots of the test runs go. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final Path CHROMIUM = Path.of(System.getProperty("imcore.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("imcore.chromedriver", "/usr/bin/chromedriver"));
    private static final Path FAILURES = Path.of("target", "browser-failures");

    private final List<WebDriver> open = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeFalse(
                Boolean.getBoolean("imcore.browser.skip"),
                "browser tests skipped on request (-Dimcore.browser.skip=true)");
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            fail("The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run installs them when missing)."
                    + " To skip these tests knowingly: -Dimcore.browser.skip=true");
        }
    }

    /** A new headless Chromium with an empty profile; closed after the test. */
    public WebDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // we run as root in CI
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking", // the machine's network is closed: no calls home
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--window-size=1280,860");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        open.add(driver);
        return driver;
    }

    /** Saves a PNG of what {@code driver} shows to {@code target/screenshots/<name>.png} and returns its path. */
    public static Path screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Path shot =
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quits a browser before the test ends (its pages' WebSockets close). */
    public void quit(WebDriver driver) {
        open.remove(driver);
        driver.quit();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean failed = context.getExecutionException().isPresent();
        int n = 0;
        for (WebDriver driver : open) {
            n++;
            try {
                if (failed) {
                    keepEvidence(context.getRequiredTestMethod().getName() + "-" + n, driver);
                }
            } finally {
                driver.quit();
            }
        }
        open.clear();
    }

    private static void keepEvidence(String name, WebDriver driver) {
        try {
            Files.createDirectories(FAILURES);
            Path shot =
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, FAILURES.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            StringBuilder console = new StringBuilder();
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                console.append(entry).append('\n');
            }
            console.append("\n--- page ---\n").append(driver.getPageSource());
            Files.writeString(FAILURES.resolve(name + ".txt"), console);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not keep evidence of " + name + ": " + e);
        }
    }
}
