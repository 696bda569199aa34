package io.imcore.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/**
 * A plain Jedis subscriber on a thread of its own, as a program in any language would subscribe: records every
 * message published on the given pub/sub channels (or on the channels matching a pattern), raw, in arrival order.
 *
 * <p>{@link #sync()} proves what did NOT arrive without sleeping: it also subscribes a private marker channel on
 * the same connection; Redis delivers the messages of one subscriber connection in the order they were
 * published, so once a marker published now has arrived, every message published before it has too.
 */
public final class PubSubRecorder implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One received message. */
    public record Message(String channel, String body) {
    }

    private final RedisClient redis;
    private final String markerChannel = "test:marker:" + UUID.randomUUID();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> markers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean subscribed;
    private volatile boolean patternSubscribed;
    private final JedisPubSub pubSub = new JedisPubSub() {
        @Override
        public void onSubscribe(String channel, int count) {
            if (channel.equals(markerChannel)) {
                subscribed = true;
            }
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            patternSubscribed = true;
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            if (!channel.equals(markerChannel)) {
                messages.add(new Message(channel, message));
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            if (channel.equals(markerChannel)) {
                markers.add(message);
            } else {
                messages.add(new Message(channel, message));
            }
        }
    };

    private PubSubRecorder(RedisClient redis, List<String> channels) {
        this.redis = redis;
        // the marker channel last: once it is confirmed, every channel before it is subscribed
        String[] all = Stream.concat(channels.stream(), Stream.of(markerChannel)).toArray(String[]::new);
        this.thread = new Thread(() -> {
            try {
                redis.subscribe(pubSub, all);
            } catch (RuntimeException e) {
                if (subscribed) {
                    // closed under it
                    return;
                }
                throw e;
            }
        }, "pubsub-recorder");
        this.thread.setDaemon(true);
    }

    /** Subscribes to {@code channels} with a new connection of {@code redis} and returns once they are live. */
    public static PubSubRecorder start(RedisExtension redis, String... channels) {
        PubSubRecorder recorder = new PubSubRecorder(redis.newJedis(), List.of(channels));
        recorder.thread.start();
        await("raw subscription").atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> recorder.subscribed);
        return recorder;
    }

    /**
     * Subscribes to every channel matching {@code pattern} (such as {@code im:*}) with a new connection of
     * {@code redis} and returns once the subscription is live.
     */
    public static PubSubRecorder startPattern(RedisExtension redis, String pattern) {
        PubSubRecorder recorder = start(redis);
        recorder.pubSub.psubscribe(pattern);
        await("raw pattern subscription").atMost(WAIT).pollInterval(Duration.ofMillis(5))
                .until(() -> recorder.patternSubscribed);
        return recorder;
    }

    /** Waits until every message published before this call has been recorded. */
    public void sync() {
        String marker = UUID.randomUUID().toString();
        redis.publish(markerChannel, marker);
        await("marker on the raw subscription").atMost(WAIT).pollInterval(Duration.ofMillis(5))
                .until(() -> markers.contains(marker));
    }

    /** Every message recorded so far (never the markers of {@link #sync()}). */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The bodies recorded on {@code channel}, in arrival order. */
    public List<String> on(String channel) {
        List<String> bodies = new ArrayList<>();
        for (Message message : messages) {
            if (message.channel().equals(channel)) {
                bodies.add(message.body());
            }
        }
        return bodies;
    }

    /** The bodies recorded on {@code channel} that contain every one of {@code texts}. */
    public List<String> on(String channel, String... texts) {
        return on(channel).stream().filter(body -> containsAll(body, texts)).toList();
    }

    /** Waits (up to 10 s) for a message on {@code channel} containing every one of {@code texts}; returns the first. */
    public String awaitOn(String channel, String... texts) {
        await("a message on " + channel + " containing " + List.of(texts)).atMost(WAIT)
                .pollInterval(Duration.ofMillis(5)).until(() -> !on(channel, texts).isEmpty());
        return on(channel, texts).get(0);
    }

    private static boolean containsAll(String body, String... texts) {
        for (String text : texts) {
            if (!body.contains(text)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            if (pubSub.isSubscribed()) {
                if (patternSubscribed) {
                    pubSub.punsubscribe();
                }
                pubSub.unsubscribe();
            }
            thread.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the connection went away already
        } finally {
            redis.close();
        }
    }
}
