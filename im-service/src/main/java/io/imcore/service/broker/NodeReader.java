package io.imcore.service.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.imcore.redis.StreamReader;
import io.imcore.redis.StreamReader.Feed;
import io.imcore.redis.StreamReader.FeedStatus;
import io.imcore.redis.StreamReader.ReaderState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * Reads this node's inbox (from its beginning: everything there is unprocessed, and is trimmed once handled) and
 * the broadcast feed (from the present) on a thread of its own ({@code im-reader}) and hands every entry to the
 * handler ({@link StreamReader}). After a lost connection it reads on from the same positions, counts it in
 * {@code im.redis.subscriber.reconnects} and has the node re-assert its state. Per feed ({@code inbox},
 * {@code broadcast}) it keeps {@code im.streams.<feed>.lag.ms}, {@code .lag.entries}, {@code .length},
 * {@code .gaps} and {@code .entriesPerRead}.
 *
 * <p>Feeds that one {@code XREAD} may read together (the same connection group: every feed on one Redis or
 * Sentinel, the same hash slot on a Redis Cluster) share a reader and its connection; on a cluster the inbox and the
 * broadcast feed are in different slots, so the node runs one reader per feed ({@code im-reader},
 * {@code im-reader-1}), each connected to the master of its feed's slot, found again on every reconnect.
 */
public final class NodeReader implements Managed {
    private static final String INBOX = "inbox";
    private static final String BROADCAST = "broadcast";

    private final List<StreamReader> readers;
    private final Map<String, StreamReader> readerOf = new LinkedHashMap<>();
    private final Map<String, String> feedNames;
    private final Object handling = new Object();
    private volatile Instant lastGapAt;
    private volatile String lastGap = "";

    /**
     * @param connections   opens the reader's connection, once per attempt
     * @param onReconnected run on the reader thread after every connection but the first, so the node can
     *                      re-assert its state after a Redis outage
     */
    public NodeReader(
            Supplier<Jedis> connections,
            String inbox,
            String broadcast,
            StreamReader.Reading reading,
            EnvelopeHandler handler,
            MetricRegistry metrics,
            Runnable onReconnected) {
        this(key -> connections.get(), key -> 0, inbox, broadcast, reading, handler, metrics, onReconnected);
    }

    /**
     * @param connectionTo  opens a reader's connection for the feed key given (to the master that holds it), once
     *                      per attempt
     * @param groupOf       which connection a feed may share ({@code RedisConnections#readerGroupOf})
     * @param onReconnected run on a reader thread after every connection but the first, so the node can
     *                      re-assert its state after a Redis outage
     */
    public NodeReader(
            Function<String, Jedis> connectionTo,
            ToIntFunction<String> groupOf,
            String inbox,
            String broadcast,
            StreamReader.Reading reading,
            EnvelopeHandler handler,
            MetricRegistry metrics,
            Runnable onReconnected) {
        this.feedNames = Map.of(inbox, INBOX, broadcast, BROADCAST);
        Counter reconnects = metrics.counter("im.redis.subscriber.reconnects");
        Map<String, Histogram> perRead = Map.of(
                inbox,
                metrics.histogram("im.streams.inbox.entriesPerRead"),
                broadcast,
                metrics.histogram("im.streams.broadcast.entriesPerRead"));
        Map<String, Counter> gaps = Map.of(
                inbox,
                metrics.counter("im.streams.inbox.gaps"),
                broadcast,
                metrics.counter("im.streams.broadcast.gaps"));
        StreamReader.Handler events = new StreamReader.Handler() {
            @Override
            public void onEntry(String feed, StreamEntryID id, String envelope) {
                synchronized (handling) { // one entry at a time, as with one reader, when a cluster needs several
                    handler.handle(feed, envelope);
                }
            }

            @Override
            public void onBatch(String feed, int entries) {
                perRead.get(feed).update(entries);
            }

            @Override
            public void onConnected(boolean again) {
                if (again) {
                    onReconnected.run();
                }
            }

            @Override
            public void onRetry() {
                reconnects.inc();
            }

            @Override
            public void onGap(String feed, StreamEntryID after, StreamEntryID upTo) {
                gaps.get(feed).inc();
                lastGap = feed + " after " + after;
                lastGapAt = Instant.now();
            }
        };
        Map<Integer, List<Feed>> groups = new LinkedHashMap<>();
        for (Feed feed : List.of(
                new Feed(inbox, StreamReader.Start.BEGINNING, true),
                new Feed(broadcast, StreamReader.Start.END, false))) {
            groups.computeIfAbsent(groupOf.applyAsInt(feed.key()), group -> new ArrayList<>())
                    .add(feed);
        }
        List<StreamReader> made = new ArrayList<>();
        for (List<Feed> feeds : groups.values()) {
            String key = feeds.get(0).key();
            StreamReader reader = new StreamReader(
                    made.isEmpty() ? "im-reader" : "im-reader-" + made.size(),
                    feeds,
                    () -> connectionTo.apply(key),
                    events,
                    reading,
                    StreamReader.Timing.defaults());
            made.add(reader);
            feeds.forEach(feed -> readerOf.put(feed.key(), reader));
        }
        this.readers = List.copyOf(made);
        register(metrics, INBOX, inbox);
        register(metrics, BROADCAST, broadcast);
    }

    private void register(MetricRegistry metrics, String name, String key) {
        String prefix = "im.streams." + name + ".";
        StreamReader reader = readerOf.get(key);
        metrics.register(
                prefix + "lag.ms", (Gauge<Long>) () -> reader.status(key).lagMillis());
        metrics.register(
                prefix + "lag.entries", (Gauge<Long>) () -> reader.status(key).lagEntries());
        metrics.register(
                prefix + "length", (Gauge<Long>) () -> reader.status(key).length());
    }

    @Override
    public void start() {
        readers.forEach(StreamReader::start);
    }

    @Override
    public void stop() {
        readers.forEach(StreamReader::close);
    }

    /** The streams it reads. */
    public List<String> streams() {
        return List.copyOf(readerOf.keySet());
    }

    /** The state of its readers: {@code READING} only when every one is, else the first that is not. */
    public ReaderState state() {
        return worst().state();
    }

    /** Since when {@link #state()} holds (the latest change among readers that read). */
    public Instant since() {
        StreamReader worst = worst();
        if (worst.state() != ReaderState.READING) {
            return worst.since();
        }
        return readers.stream().map(StreamReader::since).max(Instant::compareTo).orElseThrow();
    }

    public String lastError() {
        return readers.stream()
                .map(StreamReader::lastError)
                .filter(error -> !error.isEmpty())
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
    }

    private StreamReader worst() {
        return readers.stream()
                .filter(reader -> reader.state() != ReaderState.READING)
                .findFirst()
                .orElse(readers.get(0));
    }

    /** The largest lag behind a feed's newest entry, in ms, as last inspected. */
    public long maxLagMillis() {
        return streams().stream()
                .mapToLong(key -> readerOf.get(key).status(key).lagMillis())
                .max()
                .orElse(0);
    }

    /** What the reader last saw of each feed, by feed name ({@code inbox}, {@code broadcast}). */
    public Map<String, FeedStatus> feeds() {
        String inbox = keyOf(INBOX);
        String broadcast = keyOf(BROADCAST);
        return Map.of(
                INBOX,
                readerOf.get(inbox).status(inbox),
                BROADCAST,
                readerOf.get(broadcast).status(broadcast));
    }

    /** When the last gap was found, or null. */
    public Instant lastGapAt() {
        return lastGapAt;
    }

    /** Which feed the last gap was in and where, or "". */
    public String lastGap() {
        return lastGap;
    }

    /** Waits until the reader is connected and reading, for callers that need it (tests, start-up). */
    public boolean awaitReading(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (StreamReader reader : readers) {
            if (!reader.awaitReading(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    private String keyOf(String name) {
        return feedNames.entrySet().stream()
                .filter(e -> e.getValue().equals(name))
                .findFirst()
                .orElseThrow()
                .getKey();
    }
}
