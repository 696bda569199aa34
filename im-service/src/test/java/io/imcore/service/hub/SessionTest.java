package io.imcore.service.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.protocol.CloseCodes;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.fakes.RecordingSink;
import io.imcore.service.fakes.RecordingSink.Writes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final AtomicInteger slow = new AtomicInteger();

    private Session open(RecordingSink sink, int maxFrames, long maxBytes) {
        Session session = new Session("c1", "", sink, new QueueLimits(maxFrames, maxBytes), slow::incrementAndGet);
        session.open("hello");
        return session;
    }

    @Test
    void helloIsWrittenFirstEvenWhenFramesWereSentBeforeTheConnectionOpened() {
        RecordingSink sink = new RecordingSink();
        Session session = new Session("c1", "", sink, new QueueLimits(10, 1000), () -> {});

        session.send("early", WriteCallback.NONE);
        assertThat(sink.frames()).isEmpty();
        session.open("hello");
        session.send("late", WriteCallback.NONE);

        assertThat(sink.frames()).containsExactly("hello", "early", "late");
    }

    @Test
    void oneFrameMoreThanTheFrameBoundClosesTheConnectionWith4000() {
        RecordingSink sink = new RecordingSink(Writes.HOLD);
        Session session = open(sink, 3, 1_000_000); // hello holds one place
        Outcomes outcomes = new Outcomes();

        session.send("a", outcomes);
        session.send("b", outcomes);
        assertThat(sink.closeCode()).isZero();
        session.send("c", outcomes);

        assertThat(sink.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER_FRAMES);
        assertThat(outcomes.failed).hasValue(1);
        assertThat(sink.frames()).containsExactly("hello", "a", "b");
        assertThat(session.closeReason()).isEqualTo(PresenceEvent.REASON_SLOW);
        assertThat(slow).as("reported once, when detected").hasValue(1);
    }

    @Test
    void moreBytesQueuedThanTheByteBoundCloseTheConnectionWith4001() {
        RecordingSink sink = new RecordingSink(Writes.HOLD);
        Session session = open(sink, 1000, 20); // hello is 5 bytes
        Outcomes outcomes = new Outcomes();

        session.send("0123456789", outcomes); // 15 bytes queued
        session.send("012345", outcomes); // 21

        assertThat(sink.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER_BYTES);
        assertThat(outcomes.failed).hasValue(1);
        assertThat(slow).hasValue(1);
    }

    @Test
    void theByteBoundCountsUtf8BytesNotCharacters() {
        RecordingSink sink = new RecordingSink(Writes.HOLD);
        Session session = open(sink, 1000, 15); // hello is 5 bytes

        session.send("ééééé", WriteCallback.NONE); // 5 characters, 10 bytes: 15 queued, at the bound
        assertThat(sink.closeCode()).isZero();
        session.send("é", WriteCallback.NONE);

        assertThat(sink.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER_BYTES);
    }

    @Test
    void framesWrittenToTheSocketNoLongerCountAgainstTheBounds() {
        RecordingSink sink = new RecordingSink(Writes.HOLD);
        Session session = open(sink, 2, 1_000_000);
        session.send("a", WriteCallback.NONE);
        sink.completeHeld();

        session.send("b", WriteCallback.NONE);
        session.send("c", WriteCallback.NONE);

        assertThat(sink.closeCode()).isZero();
        assertThat(session.queuedFrames()).isEqualTo(2);
        sink.completeHeld();
        assertThat(session.queuedFrames()).isZero();
    }

    @Test
    void aSlowConsumerIsReportedOnceHoweverManyFramesFollow() {
        RecordingSink sink = new RecordingSink(Writes.HOLD);
        Session session = open(sink, 1, 1_000_000);
        Outcomes outcomes = new Outcomes();

        for (int i = 0; i < 5; i++) {
            session.send("x" + i, outcomes);
        }

        assertThat(slow).hasValue(1);
        assertThat(outcomes.failed).hasValue(5);
        assertThat(sink.frames()).containsExactly("hello");
    }

    @Test
    void noPingGoesOutBeforeHello() {
        RecordingSink sink = new RecordingSink();
        Session session = new Session("c1", "", sink, new QueueLimits(10, 1000), () -> {});

        session.ping();
        assertThat(sink.pings()).isZero();
        session.open("hello");
        session.ping();

        assertThat(sink.pings()).isEqualTo(1);
        assertThat(sink.frames()).containsExactly("hello");
    }

    @Test
    void framesSentAfterTheNodeClosedTheConnectionFailWithoutReachingTheSocket() {
        RecordingSink sink = new RecordingSink();
        Session session = open(sink, 10, 1000);
        Outcomes outcomes = new Outcomes();

        session.close(CloseCodes.POLICY, "kicked", PresenceEvent.REASON_KICK);
        session.send("late", outcomes);
        session.ping();

        assertThat(outcomes.failed).hasValue(1);
        assertThat(sink.frames()).containsExactly("hello");
        assertThat(sink.pings()).isZero();
        assertThat(session.closeReason()).isEqualTo(PresenceEvent.REASON_KICK);
    }

    @Test
    void onlyTheFirstCloseCountsForTheCodeAndTheOfflineReason() {
        RecordingSink sink = new RecordingSink();
        Session session = open(sink, 10, 1000);

        session.close(CloseCodes.POLICY, "kicked", PresenceEvent.REASON_KICK);
        session.close(CloseCodes.GOING_AWAY, "shutdown", PresenceEvent.REASON_SHUTDOWN);

        assertThat(sink.closeCode()).isEqualTo(CloseCodes.POLICY);
        assertThat(session.closeReason()).isEqualTo(PresenceEvent.REASON_KICK);
    }

    /** Counts the outcomes of writes. */
    private static final class Outcomes implements WriteCallback {
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<Throwable> causes = new ArrayList<>();

        @Override
        public void written() {
            written.incrementAndGet();
        }

        @Override
        public synchronized void failed(Throwable cause) {
            failed.incrementAndGet();
            causes.add(cause);
        }
    }
}
