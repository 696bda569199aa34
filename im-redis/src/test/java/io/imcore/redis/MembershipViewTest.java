package io.imcore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.NodeLease;
import io.imcore.protocol.Rendezvous;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who is a member, what is a conflict: the rules of a membership reading, without Redis. */
class MembershipViewTest {
    static final long NOW = 1_700_000_000_000L;
    static final Duration LEASE = Duration.ofSeconds(6);

    private static MembershipView view(List<String> allowList, boolean ownAllowListRequired) {
        return new MembershipView(
                null, null, allowList, LEASE, Duration.ofSeconds(2), Clock.systemUTC(), ownAllowListRequired);
    }

    private static NodeLease lease(long seenAt, String allow, boolean leaving) {
        return new NodeLease(0, seenAt, 0, Rendezvous.NAME, allow, leaving);
    }

    @Test
    void membersAreTheAliveAllowedNotLeavingEntriesSorted() {
        String allow = MembershipView.allowHash(List.of("c:1", "a:1", "b:1", "d:1"));
        Membership membership = view(List.of("a:1", "b:1", "c:1", "d:1"), true)
                .update(
                        Map.of(
                                "c:1", lease(NOW - 1_000, allow, false),
                                "a:1", lease(NOW - 6_000, allow, false), // exactly the lease: alive
                                "b:1", lease(NOW - 6_001, allow, false), // dead
                                "d:1", lease(NOW, allow, true), // leaving
                                "x:1", lease(NOW, allow, false)),
                        NOW); // not allowed
        assertThat(membership.members()).containsExactly("a:1", "c:1");
        assertThat(membership.conflicts()).isEmpty();
        assertThat(membership.home("42")).isEqualTo(Rendezvous.home("42", List.of("a:1", "c:1")));
        assertThat(membership.leases()).hasSize(5);
    }

    @Test
    void theAllowHashIsOrderIndependentAndEmptyWithoutAList() {
        assertThat(MembershipView.allowHash(List.of("b:1", "a:1")))
                .isEqualTo(MembershipView.allowHash(List.of("a:1", "b:1")))
                .hasSize(64);
        assertThat(MembershipView.allowHash(List.of())).isEmpty();
    }

    @Test
    void aNodeFlagsAnotherRoutingRuleOrAllowListOfAnAliveNode() {
        Membership membership = view(List.of(), true)
                .update(
                        Map.of(
                                "a:1", lease(NOW, "", false),
                                "b:1", new NodeLease(0, NOW, 0), // a node of the modulo era
                                "c:1", lease(NOW, "ff", false), // another allow-list
                                "d:1", lease(NOW, "ff", true), // leaving: still alive, still flagged
                                "e:1", lease(NOW - 60_000, "ff", false)),
                        NOW); // dead: ignored
        assertThat(membership.members()).containsExactly("a:1", "b:1", "c:1");
        assertThat(membership.conflicts())
                .hasSize(3)
                .anySatisfy(c -> assertThat(c).startsWith("b:1 routes by 'null'"))
                .anySatisfy(c -> assertThat(c).startsWith("c:1 has another cluster.servers allow-list"))
                .anySatisfy(c -> assertThat(c).startsWith("d:1 has another"));
    }

    @Test
    void aBusinessProcessWithoutAnAllowListOnlyNeedsTheMembersToAgree() {
        String allow = MembershipView.allowHash(List.of("a:1", "b:1"));
        MembershipView view = view(List.of(), false);
        assertThat(view.update(Map.of("a:1", lease(NOW, allow, false), "b:1", lease(NOW, allow, false)), NOW)
                        .conflicts())
                .isEmpty();
        assertThat(view.update(Map.of("a:1", lease(NOW, allow, false), "b:1", lease(NOW, "", false)), NOW)
                        .conflicts())
                .singleElement()
                .satisfies(c -> assertThat(c).startsWith("b:1 has another"));
    }

    @Test
    void beforeTheFirstReadingThereIsNoMember() {
        Membership empty = view(List.of(), true).current();
        assertThat(empty.members()).isEmpty();
        assertThat(empty.home("42")).isNull();
        assertThat(empty.readAt()).isZero();
    }
}
