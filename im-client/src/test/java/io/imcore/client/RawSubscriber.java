package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/** A plain Jedis pattern subscriber for tests: records every message published on channels matching a pattern. */
final class RawSubscriber implements AutoCloseable {

    /** One received message. */
    record Message(String channel, String body) {
    }

    private final RedisClient redis;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean subscribed;
    private final JedisPubSub pubSub = new JedisPubSub() {
        @Override
        public void onPSubscribe(String pattern, int count) {
            subscribed = true;
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            messages.add(new Message(channel, message));
        }
    };

    private RawSubscriber(RedisClient redis, String pattern) {
        this.redis = redis;
        this.thread = new Thread(() -> redis.psubscribe(pubSub, pattern), "raw-subscriber");
        this.thread.setDaemon(true);
    }

    /** Subscribes to {@code pattern} and returns once the subscription is live. */
    static RawSubscriber start(RedisClient redis, String pattern) {
        RawSubscriber subscriber = new RawSubscriber(redis, pattern);
        subscriber.thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.subscribed);
        return subscriber;
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    List<String> on(String channel) {
        return messages.stream().filter(m -> m.channel().equals(channel)).map(Message::body).toList();
    }

    /**
     * Publishes a marker on each channel and waits for them: every message published before this call is then
     * in {@link #messages()}, so "exactly one" and "none" can be asserted.
     */
    void drain(String... channels) {
        for (String channel : channels) {
            redis.publish(channel, "__marker__");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String channel : channels) {
                assertThat(on(channel)).contains("__marker__");
            }
        });
    }

    /** The messages except the markers of {@link #drain}. */
    List<Message> realMessages() {
        return messages.stream().filter(m -> !m.body().equals("__marker__")).toList();
    }

    @Override
    public void close() {
        if (subscribed) {
            pubSub.punsubscribe();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }
}
