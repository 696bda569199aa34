package io.imcore.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.example.support.Browsers;
import io.imcore.example.support.DemoStack;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * imcore.js's timing rules in real Chromium, against a scripted fake WebSocket (fast heartbeats and delays):
 * missing pong, backoff bounds, the smaller cap after an abnormal loss, no reconnect after 1008 or close(), short
 * delay after 1001.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserImcoreJsTest {
    @RegisterExtension
    @Order(2)
    static final DemoStack STACK = new DemoStack();

    @RegisterExtension
    @Order(3)
    final Browsers browsers = new Browsers();

    private JsonNode result;

    @BeforeAll
    void runTheChecksInChromium() throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/browser/imcore-checks.js")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        WebDriver driver = browsers.open();
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        driver.get(STACK.demoUrl());
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript(script);
        result = new ObjectMapper().readTree(String.valueOf(answer));
        assertThat(result.path("error").isMissingNode())
                .as(String.valueOf(answer))
                .isTrue();
    }

    @Test
    void aPingWithoutPongWithinTheHeartbeatIsADeadConnection() {
        JsonNode check = result.path("missingPong");
        assertThat(check.path("pingsSent").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(check.path("closedByClient").path("code").asInt()).isEqualTo(1000);
        assertThat(check.path("waiting").path("reason").asText()).isEqualTo("no pong within the heartbeat");
    }

    @Test
    void pongsKeepTheConnectionOpenWithAPingEveryHeartbeat() {
        JsonNode check = result.path("pongsKeepItOpen");
        assertThat(check.path("state").asText()).isEqualTo("open");
        assertThat(check.path("pings").asInt()).isBetween(3, 8); // 700 ms at one ping per 100 ms (timers may lag)
        assertThat(check.path("sockets").asInt()).isEqualTo(1);
        assertThat(check.path("urls").asInt()).isEqualTo(1);
    }

    @Test
    void failuresBackOffExponentiallyWithJitterUpToTheCapAndFetchAFreshUrlEachTime() {
        JsonNode check = result.path("backoff");
        JsonNode delays = check.path("delays");
        for (int i = 0; i < delays.size(); i++) {
            long base = Math.min(80, 10L << i);
            assertThat(delays.get(i).path("delay").asLong()).as("delay %d", i).isBetween(base / 2, base);
            assertThat(delays.get(i).path("reason").asText()).contains("backend down");
        }
        assertThat(check.path("calls").asInt()).isGreaterThanOrEqualTo(delays.size());
    }

    @Test
    void afterAnAbnormalLossOfAnOpenConnectionRetriesStayWithinTheLossCapForTheLossWindow() {
        JsonNode delays = result.path("lossCapsBackoff").path("delays");
        assertThat(delays.size()).isGreaterThanOrEqualTo(3);
        boolean grewAfterTheWindow = false;
        for (JsonNode delay : delays) {
            if (delay.path("after").asLong() < 500) {
                assertThat(delay.path("delay").asLong()).as(delay.toString()).isLessThanOrEqualTo(40);
            } else if (delay.path("delay").asLong() > 40) {
                grewAfterTheWindow = true;
            }
        }
        assertThat(grewAfterTheWindow).as(delays.toString()).isTrue();
    }

    @Test
    void afterAKickItDoesNotReconnect() {
        JsonNode check = result.path("kicked");
        assertThat(check.path("state").asText()).isEqualTo("kicked");
        assertThat(check.path("urls").asInt()).isEqualTo(1);
        assertThat(check.path("sockets").asInt()).isEqualTo(1);
    }

    @Test
    void afterGoingAwayItReconnectsAfterAShortRandomDelayAndSaysSoToTheOpenHook() {
        JsonNode check = result.path("goingAway");
        assertThat(check.path("waiting").path("code").asInt()).isEqualTo(1001);
        assertThat(check.path("waiting").path("delay").asLong()).isBetween(30L, 60L);
        assertThat(check.path("state").asText()).isEqualTo("open");
        assertThat(check.path("urls").asInt()).isEqualTo(2);
        assertThat(check.path("opens").toString()).isEqualTo("[false,true]");
    }

    @Test
    void closeStopsForGood() {
        JsonNode check = result.path("closeStops");
        assertThat(check.path("state").asText()).isEqualTo("closed");
        assertThat(check.path("urls").asInt()).isEqualTo(1);
        assertThat(check.path("closedByClient").path("code").asInt()).isEqualTo(1000);
    }
}
