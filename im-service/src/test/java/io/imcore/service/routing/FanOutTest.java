package io.imcore.service.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.QueueLimits;
import io.imcore.service.hub.Session;
import io.imcore.service.hub.TextFrame;
import io.imcore.service.hub.WriteCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FanOutTest {
    @Test
    void everyConnectionGetsEveryFrameOnceAndInOrderAcrossThreads() {
        FanOut fanOut = new FanOut(3);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<RecordingSink> sinks = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            RecordingSink sink = new RecordingSink(threads);
            Session session = new Session("c" + i, "", sink, new QueueLimits(1000, 1 << 20), () -> {});
            session.open("hello");
            sinks.add(sink);
            sessions.add(session);
        }
        AtomicInteger written = new AtomicInteger();
        WriteCallback counting = new WriteCallback() {
            @Override
            public void written() {
                written.incrementAndGet();
            }

            @Override
            public void failed(Throwable cause) {}
        };

        for (int frame = 1; frame <= 5; frame++) {
            fanOut.send(sessions, TextFrame.of("f" + frame), counting);
        }

        assertThat(written).hasValue(5 * 2000);
        for (RecordingSink sink : sinks) {
            assertThat(sink.frames).containsExactly("hello", "f1", "f2", "f3", "f4", "f5");
        }
        assertThat(threads).as("large lists are split over threads").hasSizeGreaterThan(1);
    }

    @Test
    void smallListsAreWrittenByTheCallingThreadAlone() {
        FanOut fanOut = new FanOut(4);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        RecordingSink sink = new RecordingSink(threads);
        Session session = new Session("c", "", sink, new QueueLimits(10, 1 << 20), () -> {});
        session.open("hello");

        fanOut.send(List.of(session), TextFrame.of("x"), WriteCallback.NONE);

        assertThat(sink.frames).containsExactly("hello", "x");
        assertThat(threads).containsOnly(Thread.currentThread().getName());
    }

    /** A sink that completes writes at once and records them, with the threads that wrote. */
    private static final class RecordingSink implements FrameSink {
        final Set<String> threads;
        final List<String> frames = new ArrayList<>();

        RecordingSink(Set<String> threads) {
            this.threads = threads;
        }

        @Override
        public synchronized void sendText(TextFrame frame, WriteCallback callback) {
            frames.add(frame.text());
            threads.add(Thread.currentThread().getName());
            callback.written();
        }

        @Override
        public void ping() {}

        @Override
        public void close(int code, String reason) {}
    }
}
