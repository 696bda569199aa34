package io.imcore.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    @Test
    void anEmptyListAllowsEveryOriginAndNone() {
        OriginPolicy any = new OriginPolicy(List.of());

        assertThat(any.allows("https://evil.example.com")).isTrue();
        assertThat(any.allows(null)).isTrue();
    }

    @Test
    void aListAllowsExactlyItsOriginsIgnoringCaseAndATrailingSlash() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example.com", "http://localhost:8080/"));

        assertThat(policy.allows("https://app.example.com")).isTrue();
        assertThat(policy.allows("HTTPS://APP.example.com/")).isTrue();
        assertThat(policy.allows("http://localhost:8080")).isTrue();
        assertThat(policy.allows("http://app.example.com")).isFalse();
        assertThat(policy.allows("https://app.example.com:8443")).isFalse();
        assertThat(policy.allows("https://app.example.com.evil.com")).isFalse();
        assertThat(policy.allows("https://sub.app.example.com")).isFalse();
        assertThat(policy.allows("null")).isFalse();
        assertThat(policy.allows(null)).isFalse();
    }
}
