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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * Reads this node's inbox (from its beginning: everything there is unprocessed, and is trimmed once handled) and
 * the broadcast feed (from the present) on a thread of its own ({@code im-reader}) and hands every entry to the
 * handler ({@link StreamReader}). After a lost connection it reads on from the same positions, counts it in
 * {@code im.redis.subscriber.reconnects} and has the node re-assert its state. Per feed ({@code inbox},
 * {@code broadcast}) it keeps {@code im.streams.<feed>.lag.ms}, {@code .lag.entries}, {@code .length},
 * {@code .gaps} and {@code .entriesPerRead}.
 */
public final class NodeReader implements Managed {
    private static final String INBOX = "inbox";
    private static final String BROADCAST = "broadcast";

    private final StreamReader reader;
    private final Map<String, String> feedNames;
    private volatile Instant lastGapAt;
    private volatile String lastGap = "";

    /**
     * @param connections   opens the reader's connection, once per attempt
     * @param onReconnected run on the reader thread after every connection but the first, so the node can
     *                      re-assert its state after a Redis outage
     */
    public NodeReader(Supplier<Jedis> connections, String inbox, String broadcast, StreamReader.Reading reading,
                      EnvelopeHandler handler, MetricRegistry metrics, Runnable onReconnected) {
        this.feedNames = Map.of(inbox, INBOX, broadcast, BROADCAST);
        Counter reconnects = metrics.counter("im.redis.subscriber.reconnects");
        Map<String, Histogram> perRead = Map.of(inbox, metrics.histogram("im.streams.inbox.entriesPerRead"),
                broadcast, metrics.histogram("im.streams.broadcast.entriesPerRead"));
        Map<String, Counter> gaps = Map.of(inbox, metrics.counter("im.streams.inbox.gaps"),
                broadcast, metrics.counter("im.streams.broadcast.gaps"));
        this.reader = new StreamReader("im-reader",
                List.of(new Feed(inbox, StreamReader.Start.BEGINNING, true),
                        new Feed(broadcast, StreamReader.Start.END, false)),
                connections, new StreamReader.Handler() {
                    @Override
                    public void onEntry(String feed, StreamEntryID id, String envelope) {
                        handler.handle(feed, envelope);
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
                }, reading, StreamReader.Timing.defaults());
        register(metrics, INBOX, inbox);
        register(metrics, BROADCAST, broadcast);
    }

    private void register(MetricRegistry metrics, String name, String key) {
        String prefix = "im.streams." + name + ".";
        metrics.register(prefix + "lag.ms", (Gauge<Long>) () -> reader.status(key).lagMillis());
        metrics.register(prefix + "lag.entries", (Gauge<Long>) () -> reader.status(key).lagEntries());
        metrics.register(prefix + "length", (Gauge<Long>) () -> reader.status(key).length());
    }

    @Override
    public void start() {
        reader.start();
    }

    @Override
    public void stop() {
        reader.close();
    }

    /** The streams it reads. */
    public List<String> streams() {
        return reader.feeds().stream().map(Feed::key).toList();
    }

    public ReaderState state() {
        return reader.state();
    }

    public Instant since() {
        return reader.since();
    }

    public String lastError() {
        return reader.lastError();
    }

    /** The largest lag behind a feed's newest entry, in ms, as last inspected. */
    public long maxLagMillis() {
        return streams().stream().mapToLong(key -> reader.status(key).lagMillis()).max().orElse(0);
    }

    /** What the reader last saw of each feed, by feed name ({@code inbox}, {@code broadcast}). */
    public Map<String, FeedStatus> feeds() {
        return Map.of(INBOX, reader.status(keyOf(INBOX)), BROADCAST, reader.status(keyOf(BROADCAST)));
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
        return reader.awaitReading(timeout);
    }

    private String keyOf(String name) {
        return feedNames.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().orElseThrow()
                .getKey();
    }
}
