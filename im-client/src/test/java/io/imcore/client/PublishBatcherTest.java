package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublishBatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        release.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }
    }

    private static PublishBatcher.Publish publish(String name) {
        return new PublishBatcher.Publish("sendMessage", Map.of("stream", name));
    }

    /** Answers every publish, after {@link #release} for the first batch only. */
    private void answerAll(List<PublishBatcher.Publish> batch) {
        if (batchSizes.isEmpty()) {
            batchSizes.add(batch.size());
            awaitRelease();
        } else {
            batchSizes.add(batch.size());
        }
        batch.forEach(p -> {
            sent.add(p.streams.get("stream"));
            p.result.complete(null);
        });
    }

    private void awaitRelease() {
        try {
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread caller(Runnable body) {
        Thread thread = new Thread(body);
        threads.add(thread);
        thread.start();
        return thread;
    }

    @Test
    void aLoneCallerIsSentAtOnceInABatchOfItsOwn() {
        release.countDown();
        PublishBatcher batcher = new PublishBatcher(this::answerAll, 4, 512, 100, WAIT);

        batcher.publish(publish("a"));
        batcher.publish(publish("b"));

        assertThat(batchSizes).containsExactly(1, 1);
        assertThat(sent).containsExactly("a", "b");
    }

    @Test
    void callersArrivingWhileABatchIsInFlightGoTogetherInTheNextBatch() throws InterruptedException {
        PublishBatcher batcher = new PublishBatcher(this::answerAll, 1, 512, 100, WAIT);
        caller(() -> batcher.publish(publish("first")));
        await().atMost(WAIT).until(() -> batchSizes.size() == 1);
        for (int i = 0; i < 10; i++) {
            String name = "n" + i;
            caller(() -> batcher.publish(publish(name)));
        }
        await().atMost(WAIT).until(() -> batcher.queued() == 10);

        release.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }

        assertThat(batchSizes).containsExactly(1, 10);
        assertThat(sent).hasSize(11);
    }

    @Test
    void noMoreThanSlotsBatchesAreInFlightAndNoCallerIsLeftWaiting() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        PublishBatcher batcher = new PublishBatcher(
                batch -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    inFlight.decrementAndGet();
                    batch.forEach(p -> p.result.complete(null));
                    answered.addAndGet(batch.size());
                },
                2,
                7,
                100,
                WAIT);

        assertTimeoutPreemptively(WAIT, () -> {
            for (int t = 0; t < 16; t++) {
                caller(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        batcher.publish(publish("x"));
                    }
                });
            }
            for (Thread thread : threads) {
                thread.join();
            }
        });

        assertThat(answered).hasValue(32_000);
        assertThat(most.get()).isBetween(1, 2);
    }

    @Test
    void everyCallerOfAFailedBatchGetsTheException() throws InterruptedException {
        AtomicInteger batches = new AtomicInteger();
        PublishBatcher batcher = new PublishBatcher(
                batch -> {
                    if (batches.incrementAndGet() == 1) {
                        awaitRelease();
                    }
                    throw new ImConnectionException("Redis is down", null);
                },
                1,
                512,
                100,
                WAIT);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            caller(() -> {
                try {
                    batcher.publish(publish("x"));
                } catch (RuntimeException e) {
                    thrown.add(e);
                }
            });
        }
        await().atMost(WAIT).until(() -> batches.get() == 1 && batcher.queued() == 6 - 1);

        release.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }

        assertThat(thrown).hasSize(6).allMatch(e -> e instanceof ImConnectionException);
        assertThat(batches).hasValue(2);
    }

    @Test
    void onlyTheFailedPublishOfABatchFails() {
        release.countDown();
        PublishBatcher batcher = new PublishBatcher(
                batch -> batch.forEach(p -> {
                    if (p.streams.get("stream").equals("bad")) {
                        p.result.completeExceptionally(new ImException("WRONGTYPE"));
                    } else {
                        p.result.complete(null);
                    }
                }),
                1,
                512,
                100,
                WAIT);

        assertThatThrownBy(() -> batcher.publish(publish("bad")))
                .isInstanceOf(ImException.class)
                .hasMessage("WRONGTYPE");
        batcher.publish(publish("good"));
    }

    @Test
    void asyncPublishesAreSentByTheLaneInOrder() {
        release.countDown();
        PublishBatcher batcher = new PublishBatcher(this::answerAll, 1, 64, 10_000, WAIT);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<String> names = new ArrayList<>();

        for (int i = 0; i < 5_000; i++) {
            names.add("a" + i);
            futures.add(batcher.publishAsync(publish("a" + i)));
        }

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
        assertThat(sent).containsExactlyElementsOf(names);
        assertThat(batchSizes).allMatch(size -> size <= 64);
    }

    @Test
    void aFullAsyncQueueWaitsThenFailsTheFutureAndSendsNothing() {
        PublishBatcher batcher = new PublishBatcher(this::answerAll, 1, 64, 2, Duration.ofMillis(200));
        CompletableFuture<Void> inFlight = batcher.publishAsync(publish("in flight"));
        await().atMost(WAIT).until(() -> batchSizes.size() == 1);
        CompletableFuture<Void> queued1 = batcher.publishAsync(publish("q1"));
        CompletableFuture<Void> queued2 = batcher.publishAsync(publish("q2"));

        CompletableFuture<Void> refused = batcher.publishAsync(publish("refused"));

        assertThat(refused)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(ImException.class)
                .withMessageContaining("queue stayed full");
        release.countDown();
        CompletableFuture.allOf(inFlight, queued1, queued2)
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
        assertThat(sent).containsExactly("in flight", "q1", "q2");
    }

    @Test
    void closeSendsWhatIsQueuedWithinTheWaitAndFailsTheRest() {
        PublishBatcher batcher = new PublishBatcher(this::answerAll, 1, 1, 100, WAIT);
        CompletableFuture<Void> inFlight = batcher.publishAsync(publish("in flight"));
        await().atMost(WAIT).until(() -> batchSizes.size() == 1);
        CompletableFuture<Void> queued = batcher.publishAsync(publish("queued"));

        batcher.close(Duration.ofMillis(100));

        assertThat(queued)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batcher.publish(publish("late"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batcher.publishAsync(publish("late"))).isInstanceOf(IllegalStateException.class);
        release.countDown();
        assertThat(inFlight).succeedsWithin(WAIT);
    }

    @Test
    void aSenderThatLeavesAPublishOpenFailsItInsteadOfHangingItsCaller() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        PublishBatcher batcher = new PublishBatcher(batch -> {}, 1, 512, 100, WAIT);

        assertTimeoutPreemptively(WAIT, () -> {
            try {
                batcher.publish(publish("x"));
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
        });

        assertThat(thrown.get()).hasMessageContaining("not answered");
    }
}
