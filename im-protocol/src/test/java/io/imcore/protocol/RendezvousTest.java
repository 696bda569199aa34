package io.imcore.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final List<String> THREE = List.of("10.0.0.1:6001", "10.0.0.2:6001", "10.0.0.3:6001");
    private static final List<String> FOUR =
            List.of("10.0.0.1:6001", "10.0.0.2:6001", "10.0.0.3:6001", "10.0.0.4:6001");
    private static final int IDS = 100_000;
    /** Chi-square critical values at p = 0.001 for 2 and 3 degrees of freedom. */
    private static final Map<Integer, Double> CRITICAL = Map.of(3, 13.816, 4, 16.266);

    @Test
    void theWorkedExampleOfTheProtocolHolds() {
        assertThat(Long.toHexString(Rendezvous.weight("10.0.0.1:6001", "42"))).isEqualTo("54928504525ab1ab");
        assertThat(Long.toHexString(Rendezvous.weight("10.0.0.2:6001", "42"))).isEqualTo("839d3007b472acc8");
        assertThat(Long.toHexString(Rendezvous.weight("10.0.0.3:6001", "42"))).isEqualTo("f53d79d9fe2683b3");
        assertThat(Rendezvous.home("42", THREE)).isEqualTo("10.0.0.3:6001");
    }

    @Test
    void weightsCompareUnsigned() {
        // f53d… is negative as a signed long, and still the highest weight
        assertThat(Rendezvous.weight("10.0.0.3:6001", "42")).isNegative();
        assertThat(Rendezvous.home("42", List.of("10.0.0.1:6001", "10.0.0.3:6001")))
                .isEqualTo("10.0.0.3:6001");
    }

    @Test
    void theHomeDoesNotDependOnTheOrderOfTheMembers() {
        List<String> reversed = new ArrayList<>(FOUR);
        java.util.Collections.reverse(reversed);
        for (int i = 0; i < 2000; i++) {
            String id = "user-" + i;
            assertThat(Rendezvous.home(id, reversed)).isEqualTo(Rendezvous.home(id, FOUR));
        }
    }

    @Test
    void aTieGoesToTheSmallestEntryByByteOrder() {
        assertThat(Rendezvous.compareBytes("a:1", "b:1")).isNegative();
        assertThat(Rendezvous.compareBytes("é:1", "z:1")).isPositive(); // 0xC3 > 'z'
        // the same entry twice is a tie with itself
        assertThat(Rendezvous.home("42", List.of("b:1", "b:1"))).isEqualTo("b:1");
    }

    @Test
    void noMembersIsAnError() {
        assertThatThrownBy(() -> Rendezvous.home("42", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uuidsSpreadEvenlyOnThreeAndFourNodes() {
        Random random = new Random(14);
        IntFunction<String> uuid = i -> new UUID(random.nextLong(), random.nextLong()).toString();
        assertEven(THREE, uuid);
        assertEven(FOUR, uuid);
    }

    @Test
    void numericIdsSpreadEvenlyOnThreeAndFourNodes() {
        assertEven(THREE, Integer::toString);
        assertEven(FOUR, i -> Long.toString(10_000_000_000L + i));
    }

    @Test
    void aJoiningNodeTakesOnlyItsShareAndTakesItFromEveryone() {
        int moved = 0;
        for (int i = 0; i < IDS; i++) {
            String id = Integer.toString(i);
            String before = Rendezvous.home(id, THREE);
            String after = Rendezvous.home(id, FOUR);
            if (!after.equals(before)) {
                assertThat(after).as("a client only moves to the new node").isEqualTo("10.0.0.4:6001");
                moved++;
            }
        }
        assertThat((double) moved / IDS).isCloseTo(0.25, Offset.offset(0.01));
    }

    @Test
    void aLeavingNodeMovesOnlyItsOwnClients() {
        List<String> withoutTwo = List.of("10.0.0.1:6001", "10.0.0.3:6001", "10.0.0.4:6001");
        for (int i = 0; i < IDS; i++) {
            String id = "u" + i;
            String before = Rendezvous.home(id, FOUR);
            String after = Rendezvous.home(id, withoutTwo);
            if (!before.equals("10.0.0.2:6001")) {
                assertThat(after).isEqualTo(before);
            }
        }
    }

    private static void assertEven(List<String> members, IntFunction<String> ids) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < IDS; i++) {
            counts.merge(Rendezvous.home(ids.apply(i), members), 1, Integer::sum);
        }
        double expected = (double) IDS / members.size();
        double chiSquare = 0;
        for (String member : members) {
            double diff = counts.getOrDefault(member, 0) - expected;
            chiSquare += diff * diff / expected;
        }
        assertThat(chiSquare).as("chi-square of %s", counts).isLessThan(CRITICAL.get(members.size()));
    }
}
