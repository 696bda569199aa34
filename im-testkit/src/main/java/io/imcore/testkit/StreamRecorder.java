package io.imcore.testkit;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Records every entry appended ({@code XADD}, also from Lua scripts and transactions) to the given streams, raw,
 * in the order Redis executed them, as {@code MONITOR} shows them. A stream reader could not do this for a node
 * inbox: the node removes what it read. Each message is the stream's key and the entry's {@code e} field (null
 * for an entry without it).
 *
 * <p>{@link #sync()} proves what did NOT arrive without sleeping: it runs {@code ECHO <marker>} and waits until
 * MONITOR shows it; MONITOR shows commands in the order Redis ran them, so every XADD run before is recorded.
 */
public final class StreamRecorder implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One recorded entry. */
    public record Message(String stream, String body) {}

    private final RedisExtension redis;
    private final Predicate<String> streams;
    private final Jedis monitor;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final Set<String> markers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread thread;

    private StreamRecorder(RedisExtension redis, Predicate<String> streams) {
        this.redis = redis;
        this.streams = streams;
        this.monitor = new Jedis(redis.host(), redis.port());
        this.thread = new Thread(
                () -> {
                    try {
                        monitor.monitor(new JedisMonitor() {
                            @Override
                            public void onCommand(String command) {
                                record(command);
                            }
                        });
                    } catch (RuntimeException e) {
                        // closed under it
                    }
                },
                "stream-recorder");
        this.thread.setDaemon(true);
    }

    /** Records the entries appended to {@code streams} from now on; returns once recording. */
    public static StreamRecorder start(RedisExtension redis, String... streams) {
        Set<String> keys = Set.of(streams);
        return started(new StreamRecorder(redis, keys::contains));
    }

    /** Records the entries appended to every stream whose key starts with {@code prefix} (such as {@code im:}). */
    public static StreamRecorder startPrefix(RedisExtension redis, String prefix) {
        return started(new StreamRecorder(redis, key -> key.startsWith(prefix)));
    }

    private static StreamRecorder started(StreamRecorder recorder) {
        recorder.thread.start();
        recorder.sync();
        return recorder;
    }

    /** Waits until every entry appended before this call has been recorded. */
    public void sync() {
        String marker = "stream-recorder-marker-" + UUID.randomUUID();
        await("MONITOR live").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Jedis echo = new Jedis(redis.host(), redis.port())) {
                echo.echo(marker);
            }
            return markers.contains(marker);
        });
    }

    /** Every entry recorded so far. */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The bodies recorded on {@code stream}, in order. */
    public List<String> on(String stream) {
        List<String> bodies = new ArrayList<>();
        for (Message message : messages) {
            if (message.stream().equals(stream)) {
                bodies.add(message.body());
            }
        }
        return bodies;
    }

    /** The bodies recorded on {@code stream} that contain every one of {@code texts}. */
    public List<String> on(String stream, String... texts) {
        return on(stream).stream()
                .filter(body -> body != null && containsAll(body, texts))
                .toList();
    }

    /** Waits (up to 10 s) for an entry on {@code stream} containing every one of {@code texts}; returns the first. */
    public String awaitOn(String stream, String... texts) {
        await("an entry on " + stream + " containing " + List.of(texts))
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !on(stream, texts).isEmpty());
        return on(stream, texts).get(0);
    }

    @Override
    public void close() {
        try {
            monitor.disconnect();
            thread.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // gone already
        }
    }

    private void record(String line) {
        int bracket = line.indexOf("] ");
        if (bracket < 0) {
            return;
        }
        List<String> args = tokens(line.substring(bracket + 2));
        if (args.isEmpty()) {
            return;
        }
        String command = args.get(0).toUpperCase(Locale.ROOT);
        if (command.equals("ECHO") && args.size() == 2) {
            markers.add(args.get(1));
        } else if (command.equals("XADD") && args.size() >= 5 && streams.test(args.get(1))) {
            messages.add(new Message(args.get(1), field(args)));
        }
    }

    /** The value of field {@code e} of an XADD: options, then the id, then field/value pairs. */
    private static String field(List<String> args) {
        int i = 2;
        while (i < args.size()) {
            String option = args.get(i).toUpperCase(Locale.ROOT);
            if (option.equals("NOMKSTREAM")) {
                i++;
            } else if (option.equals("MAXLEN") || option.equals("MINID")) {
                i++;
                if (args.get(i).equals("~") || args.get(i).equals("=")) {
                    i++;
                }
                i++;
            } else if (option.equals("LIMIT")) {
                i += 2;
            } else {
                break;
            }
        }
        for (int f = i + 1; f + 1 < args.size(); f += 2) {
            if (args.get(f).equals("e")) {
                return args.get(f + 1);
            }
        }
        return null;
    }

    /** The quoted, escaped arguments of a MONITOR line, decoded. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) != '"') {
                i++;
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            i++;
            while (i < text.length() && text.charAt(i) != '"') {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    char n = text.charAt(i + 1);
                    switch (n) {
                        case 'n' -> bytes.write('\n');
                        case 'r' -> bytes.write('\r');
                        case 't' -> bytes.write('\t');
                        case 'a' -> bytes.write(7);
                        case 'b' -> bytes.write('\b');
                        case 'x' -> {
                            bytes.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                            i += 2;
                        }
                        default -> bytes.write(n);
                    }
                    i += 2;
                } else {
                    byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    bytes.write(utf8, 0, utf8.length);
                    i++;
                }
            }
            i++;
            tokens.add(bytes.toString(StandardCharsets.UTF_8));
        }
        return tokens;
    }

    private static boolean containsAll(String body, String... texts) {
        for (String text : texts) {
            if (!body.contains(text)) {
                return false;
            }
        }
        return true;
    }
}
