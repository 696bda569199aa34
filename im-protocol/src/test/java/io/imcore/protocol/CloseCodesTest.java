package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CloseCodesTest {
    @Test
    void valuesAreThePageCodes() {
        assertThat(CloseCodes.NORMAL).isEqualTo(1000);
        assertThat(CloseCodes.GOING_AWAY).isEqualTo(1001);
        assertThat(CloseCodes.POLICY).isEqualTo(1008);
        assertThat(CloseCodes.TOO_BIG).isEqualTo(1009);
        assertThat(CloseCodes.INTERNAL_ERROR).isEqualTo(1011);
        assertThat(CloseCodes.SLOW_CONSUMER).isEqualTo(4000);
        assertThat(CloseCodes.SLOW_CONSUMER_FRAMES).isEqualTo(4000);
        assertThat(CloseCodes.SLOW_CONSUMER_BYTES).isEqualTo(4001);
    }

    @Test
    void slowConsumerRange() {
        assertThat(CloseCodes.isSlowConsumer(4000)).isTrue();
        assertThat(CloseCodes.isSlowConsumer(4001)).isTrue();
        assertThat(CloseCodes.isSlowConsumer(4099)).isTrue();
        assertThat(CloseCodes.isSlowConsumer(4100)).isFalse();
        assertThat(CloseCodes.isSlowConsumer(3999)).isFalse();
        assertThat(CloseCodes.isSlowConsumer(CloseCodes.POLICY)).isFalse();
        assertThat(CloseCodes.isSlowConsumer(CloseCodes.GOING_AWAY)).isFalse();
    }

    @Test
    void everyCodeHasItsOwnDescription() {
        List<Integer> codes = List.of(1000, 1001, 1008, 1009, 1011, 4000, 4001);
        Set<String> descriptions = new HashSet<>();
        for (int code : codes) {
            String description = CloseCodes.describe(code);
            assertThat(description).isNotBlank().doesNotStartWith("code ");
            descriptions.add(description);
        }
        assertThat(descriptions).hasSize(codes.size());
        assertThat(CloseCodes.describe(1008)).contains("kick");
        assertThat(CloseCodes.describe(4001)).contains("slow");
        assertThat(CloseCodes.describe(4042)).isEqualTo("code 4042");
        assertThat(CloseCodes.describe(1002)).isEqualTo("code 1002");
    }
}
