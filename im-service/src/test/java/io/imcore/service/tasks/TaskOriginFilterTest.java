package io.imcore.service.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What counts as the admin port's own origin; every other {@code Origin} is foreign. */
class TaskOriginFilterTest {

    @Test
    void theOwnOriginIsHttpOfTheHostHeaderWhenThatNamesALoopbackAddress() {
        assertThat(TaskOriginFilter.isOwnOrigin("http://127.0.0.1:6002", "127.0.0.1:6002"))
                .isTrue();
        assertThat(TaskOriginFilter.isOwnOrigin("http://localhost:6002", "localhost:6002"))
                .isTrue();
        assertThat(TaskOriginFilter.isOwnOrigin("http://[::1]:6002", "[::1]:6002"))
                .isTrue();
    }

    @Test
    void everyOtherOriginIsForeign() {
        assertThat(TaskOriginFilter.isOwnOrigin("http://evil.example", "127.0.0.1:6002"))
                .isFalse();
        assertThat(TaskOriginFilter.isOwnOrigin("null", "127.0.0.1:6002")).isFalse();
        assertThat(TaskOriginFilter.isOwnOrigin("http://127.0.0.1:6003", "127.0.0.1:6002"))
                .isFalse();
        assertThat(TaskOriginFilter.isOwnOrigin("https://127.0.0.1:6002", "127.0.0.1:6002"))
                .isFalse();
        assertThat(TaskOriginFilter.isOwnOrigin("http://127.0.0.1:6002", null)).isFalse();
        // DNS rebinding: a foreign name that resolves to 127.0.0.1 sends its own name as Host and Origin
        assertThat(TaskOriginFilter.isOwnOrigin("http://evil.example:6002", "evil.example:6002"))
                .isFalse();
        // a node whose admin port listens on the network, reached by its address, is not loopback
        assertThat(TaskOriginFilter.isOwnOrigin("http://192.0.2.7:6002", "192.0.2.7:6002"))
                .isFalse();
    }
}
