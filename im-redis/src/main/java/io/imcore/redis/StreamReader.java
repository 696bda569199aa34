package io.imcore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Reads a fixed set of Redis streams (PROTOCOL.md section 5) on a daemon thread and a connection of its own,
 * from positions it keeps in memory: {@code XREAD COUNT <readCount> BLOCK <block> STREAMS ...}, so one read takes
 * many entries under load and nothing is skipped between two reads. After losing its connection (a Redis
 * restart, {@code CLIENT KILL}) it connects again with a pause that starts at {@link Timing#initialDelay()} and
 * doubles up to {@link Timing#maxDelay()}, and goes on from the same positions: nothing still in the streams is
 * missed.
 *
 * <p>A feed made with {@code trimAfterRead} is consumed: the reader removes what it handled ({@code XTRIM <key>
 * MINID <last id + 1>}, exact), pipelined in front of its next read once {@value #TRIM_EVERY_ENTRIES} entries or
 * 200 ms of them are handled, and always before it stops or inspects after a reconnect, so that stream holds only
 * entries not handled yet, plus at most those of the last 200 ms or {@value #TRIM_EVERY_ENTRIES} entries (or one
 * batch). A feed that starts {@link Start#END at the end} begins after its newest entry at
 * the first connection; a feed that starts {@link Start#BEGINNING at the beginning} reads everything there.
 *
 * <p>About once a {@link Timing#checkInterval()}, and after every full batch, it inspects each feed
 * ({@code XINFO STREAM}, pipelined with the read): its length, how far behind the newest entry it is, and
 * whether entries it had not read were removed (a gap: trimmed by the publishers' retention, or Redis lost its
 * data), which it tells the {@link Handler} once per gap.
 *
 * <p>The {@link Handler} runs on the reader's thread, one entry at a time, in stream order per feed; an
 * exception it throws is logged and the reader goes on with the next entry. {@link #close()} stops the thread
 * (within the block time), sends the last pending trim and closes the connection.
 *
 * <pre>{@code
 * StreamReader reader = new StreamReader("im-reader",
 *         List.of(new StreamReader.Feed("im:node:a:1", StreamReader.Start.BEGINNING, true),
 *                 new StreamReader.Feed("im:broadcast", StreamReader.Start.END, false)),
 *         connections::newSubscriberConnection, (feed, id, json) -> handle(json),
 *         new StreamReader.Reading(1000, Duration.ofSeconds(1), 100_000),
 *         StreamReader.Timing.defaults());
 * reader.start();
 * ...
 * reader.close();
 * }</pre>
 */
public final class StreamReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(1);
    /** Handled entries of a consumed feed after which it is trimmed with the next read. */
    static final int TRIM_EVERY_ENTRIES = 256;
    /** Longest time a consumed feed keeps handled entries before it is trimmed with the next read. */
    static final Duration TRIM_EVERY = Duration.ofMillis(200);

    private final String name;
    private final List<Feed> feeds;
    private final Supplier<Jedis> connections;
    private final Handler handler;
    private final Reading reading;
    private final Timing timing;
    private final Thread thread;
    private final Map<String, FeedState> states = new LinkedHashMap<>();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Object monitor = new Object();
    private final AtomicLong connects = new AtomicLong();

    private volatile boolean started;
    private volatile boolean closed;
    private volatile Jedis currentConnection;
    private volatile ReaderState state = ReaderState.STARTING; // written under monitor
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";
    private boolean positioned;
    private String runId;

    /**
     * @param threadName  the name of its thread, also used in its log lines
     * @param feeds       the streams to read, at least one, each once
     * @param connections opens a new connection for each attempt (it may throw when Redis is unreachable); its
     *                    socket timeout must be longer than {@link Reading#block()}
     * @param handler     gets the entries and the reader's events
     * @param reading     how much one read takes and how long it waits
     * @param timing      backoff, stop time and inspection interval
     */
    public StreamReader(
            String threadName,
            List<Feed> feeds,
            Supplier<Jedis> connections,
            Handler handler,
            Reading reading,
            Timing timing) {
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("a stream reader needs at least one feed");
        }
        this.name = threadName;
        this.feeds = List.copyOf(feeds);
        for (Feed feed : this.feeds) {
            if (states.put(feed.key(), new FeedState(feed)) != null) {
                throw new IllegalArgumentException("feed " + feed.key() + " given twice");
            }
        }
        this.connections = connections;
        this.handler = handler;
        this.reading = reading;
        this.timing = timing;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the thread, which connects at once. */
    public void start() {
        started = true;
        thread.start();
    }

    /** The feeds it reads. */
    public List<Feed> feeds() {
        return feeds;
    }

    /** Where the reader is now. */
    public ReaderState state() {
        return state;
    }

    /** Since when it is in {@link #state()}. */
    public Instant since() {
        return since;
    }

    /** The last exception that ended or prevented a connection, as text; "" before the first. */
    public String lastError() {
        return lastError;
    }

    /** True while connected and reading. */
    public boolean isReading() {
        return state == ReaderState.READING;
    }

    /** Number of times it connected and started reading, the first time included. */
    public long connects() {
        return connects.get();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** What the reader last saw of feed {@code key}. */
    public FeedStatus status(String key) {
        FeedState feed = states.get(key);
        if (feed == null) {
            throw new IllegalArgumentException("not a feed of " + name + ": " + key);
        }
        return feed.status();
    }

    /**
     * Waits until connected and reading, at most {@code timeout}.
     *
     * @return true when reading, false when the time ran out or the reader is closed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitReading(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (state != ReaderState.READING && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return state == ReaderState.READING;
        }
    }

    /**
     * Stops the thread (after its current read, at most the block time; after {@link Timing#stopTimeout()} its
     * connection is closed under it), sends the last pending trim and closes the connection. Idempotent; may be
     * called from the handler.
     */
    @Override
    public void close() {
        synchronized (monitor) {
            if (closed) {
                return;
            }
            closed = true;
            monitor.notifyAll();
        }
        closedLatch.countDown();
        if (started && Thread.currentThread() != thread) {
            join(timing.stopTimeout());
            if (thread.isAlive()) {
                LOG.warn(
                        "{} did not stop within {} ms: closing its connection",
                        name,
                        timing.stopTimeout().toMillis());
                Jedis connection = currentConnection;
                if (connection != null) {
                    connection.disconnect();
                }
                thread.interrupt();
                join(FORCED_STOP_WAIT);
            }
        }
        setState(ReaderState.STOPPED);
    }

    @Override
    public String toString() {
        return name + "{feeds=" + states.keySet() + ", state=" + state + "}";
    }

    private void run() {
        long delay = timing.initialDelay().toMillis();
        int failures = 0;
        while (!closed) {
            Jedis connection = null;
            boolean wasReading = false;
            try {
                connection = connections.get(); // connects: may throw
                currentConnection = connection;
                if (!closed) {
                    prepare(connection);
                    long count = connects.incrementAndGet();
                    setState(ReaderState.READING);
                    wasReading = true;
                    failures = 0;
                    LOG.info("{} reading{} {}", name, count > 1 ? " again" : "", positions());
                    try {
                        handler.onConnected(count > 1);
                    } catch (RuntimeException e) {
                        LOG.warn("{} connect callback failed: {}", name, e.toString());
                    }
                    readUntilClosed(connection);
                    trimPending(connection);
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    lastError = e.toString();
                    if (wasReading) {
                        LOG.warn("{} lost its connection: {}; connecting again from {}", name, lastError, positions());
                    } else if (++failures == 1) {
                        LOG.warn("{} could not connect: {}; trying again", name, lastError);
                    } else {
                        LOG.debug("{} could not connect (attempt {}): {}", name, failures, lastError);
                    }
                }
            } finally {
                currentConnection = null;
                if (connection != null) {
                    closeQuietly(connection);
                }
            }
            if (closed) {
                break;
            }
            setState(ReaderState.RECONNECTING);
            try {
                handler.onRetry();
            } catch (RuntimeException e) {
                LOG.warn("{} retry callback failed: {}", name, e.toString());
            }
            if (wasReading) {
                delay = timing.initialDelay().toMillis();
            }
            if (pause(delay)) {
                break;
            }
            delay = Math.min(delay * 2, timing.maxDelay().toMillis());
        }
        setState(ReaderState.STOPPED);
        LOG.debug("{} stopped", name);
    }

    /** Sets the start positions at the first connection; notices a Redis that restarted. */
    private void prepare(Jedis connection) {
        String previousRunId = runId;
        runId = serverRunId(connection);
        if (!positioned) {
            for (FeedState feed : states.values()) {
                if (feed.feed.start() == Start.END) {
                    List<StreamEntry> last = connection.xrevrange(feed.feed.key(), "+", "-", 1);
                    feed.position = last.isEmpty() ? Streams.START : last.get(0).getID();
                }
            }
            positioned = true;
        }
        boolean restarted = previousRunId != null && runId != null && !previousRunId.equals(runId);
        // the trim of the last batch before the connection was lost may not have reached Redis: send it first, so
        // that a consumed feed holds only unread entries when it is inspected
        trimPending(connection);
        inspect(connection, restarted);
    }

    private void readUntilClosed(Jedis connection) {
        XReadParams params = XReadParams.xReadParams()
                .count(reading.readCount())
                .block((int) reading.block().toMillis());
        long nextCheck = System.nanoTime() + timing.checkInterval().toNanos();
        boolean inspectNow = false;
        while (!closed) {
            boolean inspect = inspectNow || System.nanoTime() - nextCheck >= 0;
            Map<String, Response<Object>> infos = new HashMap<>();
            Response<List<Map.Entry<String, List<StreamEntry>>>> answer;
            Map<String, StreamEntryID> trims = pendingTrims(false);
            Pipeline pipeline = connection.pipelined();
            trims.forEach((key, id) -> pipeline.xtrim(key, Streams.trimThrough(id)));
            if (inspect) {
                for (String key : states.keySet()) {
                    infos.put(key, pipeline.sendCommand(Protocol.Command.XINFO, "STREAM", key));
                }
            }
            answer = pipeline.xread(params, positions());
            pipeline.sync();
            trims.forEach((key, id) -> states.get(key).trimmed(id));
            if (inspect) {
                infos.forEach((key, info) -> examine(states.get(key), info, false));
                nextCheck = System.nanoTime() + timing.checkInterval().toNanos();
            }
            List<Map.Entry<String, List<StreamEntry>>> batches = answer.get();
            inspectNow = false;
            int entries = 0;
            if (batches != null) {
                for (Map.Entry<String, List<StreamEntry>> batch : batches) {
                    entries = Math.max(entries, batch.getValue().size());
                    inspectNow |= batch.getValue().size() >= reading.readCount();
                }
                handle(batches);
            }
            if (entries > 0 && !inspectNow) {
                linger();
            }
        }
    }

    /**
     * Handles one read's entries, each feed in stream order; the feeds' entries merged by the millisecond of
     * their ids, so that what was added to one feed a millisecond or more before what was added to another is
     * handled first also when one read returns both (entries of one millisecond: in feed order).
     */
    private void handle(List<Map.Entry<String, List<StreamEntry>>> batches) {
        if (batches.size() == 1) {
            handle(states.get(batches.get(0).getKey()), batches.get(0).getValue());
            return;
        }
        // XREAD answers in the order of its STREAMS arguments, the feeds' order: a tie goes to the first
        List<FeedState> batchFeeds = new ArrayList<>(batches.size());
        List<List<StreamEntry>> lists = new ArrayList<>(batches.size());
        int[] next = new int[batches.size()];
        for (Map.Entry<String, List<StreamEntry>> batch : batches) {
            FeedState feed = states.get(batch.getKey());
            batchFeeds.add(feed);
            lists.add(batch.getValue());
            batchCallback(feed, batch.getValue().size());
        }
        while (true) {
            int pick = -1;
            long pickTime = Long.MAX_VALUE;
            for (int i = 0; i < lists.size(); i++) {
                if (next[i] < lists.get(i).size()) {
                    long time = lists.get(i).get(next[i]).getID().getTime();
                    if (pick < 0 || time < pickTime) {
                        pick = i;
                        pickTime = time;
                    }
                }
            }
            if (pick < 0) {
                return;
            }
            handleEntry(batchFeeds.get(pick), lists.get(pick).get(next[pick]++));
        }
    }

    /**
     * After a read that returned some entries but no full batch (a moderate rate), waits {@link Reading#linger()}
     * before the next read, so that one read takes the entries of that time instead of each entry costing a read
     * of its own. A read that finds nothing blocks as before and returns at the first new entry, so a message
     * after a quiet time is not delayed, and no entry waits longer than the linger for it; a full batch (a
     * backlog) is followed by the next read at once.
     */
    private void linger() {
        long nanos = reading.linger().toNanos();
        if (nanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !closed; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private void handle(FeedState feed, List<StreamEntry> entries) {
        batchCallback(feed, entries.size());
        for (StreamEntry entry : entries) {
            handleEntry(feed, entry);
        }
    }

    private void batchCallback(FeedState feed, int entries) {
        try {
            handler.onBatch(feed.feed.key(), entries);
        } catch (RuntimeException e) {
            LOG.warn("{} batch callback failed: {}", name, e.toString());
        }
    }

    private void handleEntry(FeedState feed, StreamEntry entry) {
        feed.position = entry.getID();
        feed.read++;
        feed.untrimmed++;
        if (feed.index >= 0) {
            feed.index++;
        }
        try {
            handler.onEntry(feed.feed.key(), entry.getID(), entry.getFields().get(Streams.FIELD));
        } catch (RuntimeException | StackOverflowError e) {
            // one bad entry must not stop the reader: its thread would be gone for good
            LOG.error("{} handler failed on entry {} of {}", name, entry.getID(), feed.feed.key(), e);
        }
    }

    private void inspect(Jedis connection, boolean restarted) {
        Pipeline pipeline = connection.pipelined();
        Map<String, Response<Object>> infos = new LinkedHashMap<>();
        for (String key : states.keySet()) {
            infos.put(key, pipeline.sendCommand(Protocol.Command.XINFO, "STREAM", key));
        }
        pipeline.sync();
        infos.forEach((key, info) -> examine(states.get(key), info, restarted));
    }

    /**
     * Updates the feed's status from its {@code XINFO STREAM} answer and reports a gap once. On Redis 7 and
     * later the reader counts the entries it read against the stream's {@code entries-added}: when it is caught
     * up (or when every entry still there is after its position), entries added but neither read nor there were
     * removed unread. The count is exact and a gap shows at the latest when the reader catches up. Without
     * {@code entries-added} (Redis 6.2) a stream at the retention ({@link Reading#maxLen()}) whose oldest entry
     * is after the position counts as a gap.
     */
    private void examine(FeedState feed, Response<Object> response, boolean restarted) {
        Map<String, Object> info;
        try {
            info = pairs(response.get());
        } catch (JedisDataException noSuchKey) {
            info = null;
        }
        StreamEntryID position = feed.position;
        if (info == null) {
            feed.length = 0;
            feed.lagMillis = 0;
            feed.lagEntries = 0;
            feed.added = 0;
            if (restarted && position.compareTo(Streams.START) > 0) {
                gap(feed, position, null, "the stream is gone after Redis restarted (its data was lost)");
            }
            feed.index = 0;
            feed.baselined = true;
            return;
        }
        long length = number(info.get("length"));
        StreamEntryID last = id(info.get("last-generated-id"));
        StreamEntryID first = firstEntryId(info.get("first-entry"));
        Long added = info.containsKey("entries-added") ? number(info.get("entries-added")) : null;
        boolean caughtUp = length == 0 || last == null || last.compareTo(position) <= 0;
        feed.length = length;
        if (caughtUp) {
            feed.lagMillis = 0;
        } else {
            StreamEntryID oldestUnread = first != null && first.compareTo(position) > 0 ? first : position;
            feed.lagMillis = Math.max(0, last.getTime() - oldestUnread.getTime());
        }
        if (restarted) {
            // a Redis that kept its data (AOF, RDB) still counts every entry up to the position; a consumed feed
            // holds only unread entries (the pending trim went first), so entries added and gone must cover every
            // entry this reader read: publishers that wrote to the new, empty stream before the reader came back
            // do not hide the loss
            long gone = added == null ? 0 : feed.feed.trimAfterRead() ? added - length : added;
            boolean lost = last == null
                    || last.compareTo(position) < 0
                    || added != null && feed.index >= 0 && gone < feed.index;
            if (lost && position.compareTo(Streams.START) > 0) {
                gap(feed, position, null, "Redis restarted without its data: entries not read before are lost");
            }
            feed.baselined = false;
        }
        boolean headAfterPosition = first != null && first.compareTo(position) > 0;
        if (!feed.baselined) {
            // what was removed before this reader (or this Redis) started is not this reader's gap
            feed.baselined = true;
            feed.index = added == null
                    ? -1
                    : feed.feed.trimAfterRead() || headAfterPosition ? added - length : caughtUp ? added : -1;
        } else if (added != null && feed.index >= 0) {
            // every entry up to the newest is read (caught up), or every entry still there is unread (head after
            // the position): then the entries added after the position that are not there any more were missed
            long missed = caughtUp ? added - feed.index : headAfterPosition ? added - feed.index - length : 0;
            if (missed > 0) {
                gap(feed, position, caughtUp ? last : first, missed + " unread entries were removed");
                feed.index += missed;
            }
        } else if (added != null && caughtUp) {
            feed.index = added;
        } else if (added == null
                && length >= reading.maxLen()
                && headAfterPosition
                && first.compareTo(feed.gapReportedUpTo) > 0) {
            gap(feed, position, first, "unread entries were trimmed (the stream is at its retention)");
            feed.gapReportedUpTo = first;
        }
        feed.added = added == null ? -1 : added;
        feed.lagEntries = caughtUp
                ? 0
                : added != null && feed.index >= 0
                        ? Math.max(0, added - feed.index)
                        : feed.feed.trimAfterRead() ? length : -1;
    }

    private void gap(FeedState feed, StreamEntryID after, StreamEntryID upTo, String why) {
        feed.gaps++;
        LOG.error(
                "{} found a gap in {} (position {}, oldest or newest entry there {}): {}",
                name,
                feed.feed.key(),
                after,
                upTo == null ? "none" : upTo,
                why);
        try {
            handler.onGap(feed.feed.key(), after, upTo);
        } catch (RuntimeException e) {
            LOG.warn("{} gap callback failed: {}", name, e.toString());
        }
    }

    /**
     * The trims due: every untrimmed feed when {@code all}, else those with {@link #TRIM_EVERY_ENTRIES} handled
     * entries untrimmed or whose last trim is {@link #TRIM_EVERY} old, so that a feed read one entry at a time
     * (a moderate rate) costs a trim every {@link #TRIM_EVERY}, not one per entry.
     */
    private Map<String, StreamEntryID> pendingTrims(boolean all) {
        Map<String, StreamEntryID> trims = new LinkedHashMap<>();
        long now = System.nanoTime();
        for (FeedState feed : states.values()) {
            if (feed.feed.trimAfterRead()
                    && feed.position.compareTo(feed.trimmedThrough) > 0
                    && (all || feed.untrimmed >= TRIM_EVERY_ENTRIES || now - feed.trimmedAt >= TRIM_EVERY.toNanos())) {
                trims.put(feed.feed.key(), feed.position);
            }
        }
        return trims;
    }

    private void trimPending(Jedis connection) {
        Map<String, StreamEntryID> trims = pendingTrims(true);
        if (trims.isEmpty()) {
            return;
        }
        Pipeline pipeline = connection.pipelined();
        trims.forEach((key, id) -> pipeline.xtrim(key, Streams.trimThrough(id)));
        pipeline.sync();
        trims.forEach((key, id) -> states.get(key).trimmed(id));
    }

    private Map<String, StreamEntryID> positions() {
        Map<String, StreamEntryID> positions = new LinkedHashMap<>();
        states.forEach((key, feed) -> positions.put(key, feed.position));
        return positions;
    }

    private static String serverRunId(Jedis connection) {
        try {
            if (connection.info("cluster").contains("cluster_enabled:1")) {
                // one run_id per master: a moved slot or a failover reaches another one with the data (PROTOCOL 5.8)
                return null;
            }
            return connection
                    .info("server")
                    .lines()
                    .filter(line -> line.startsWith("run_id:"))
                    .map(line -> line.substring("run_id:".length()).trim())
                    .findFirst()
                    .orElse(null);
        } catch (JedisDataException notAllowed) {
            return null;
        }
    }

    private static Map<String, Object> pairs(Object reply) {
        Map<String, Object> map = new HashMap<>();
        if (reply instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(text(list.get(i)), list.get(i + 1));
            }
        }
        return map;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static long number(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        return value == null ? 0 : Long.parseLong(text(value));
    }

    private static StreamEntryID id(Object value) {
        if (value == null) {
            return null;
        }
        return new StreamEntryID(text(value));
    }

    private static StreamEntryID firstEntryId(Object value) {
        if (value instanceof List<?> entry && !entry.isEmpty()) {
            return id(entry.get(0));
        }
        return null;
    }

    private static StreamEntryID max(StreamEntryID a, StreamEntryID b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Waits {@code millis} unless closed first; true when closed. */
    private boolean pause(long millis) {
        try {
            return closedLatch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void setState(ReaderState next) {
        synchronized (monitor) {
            if (state != next) {
                state = next;
                since = Instant.now();
            }
            monitor.notifyAll();
        }
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(Jedis connection) {
        try {
            connection.close();
        } catch (RuntimeException e) {
            LOG.debug("{} could not close its connection: {}", name, e.toString());
        }
    }

    /** Where a feed's reading starts at the reader's first connection. */
    public enum Start {
        /** At the oldest entry there ({@code 0-0}). */
        BEGINNING,
        /** After the newest entry there (the present). */
        END
    }

    /** Where a {@link StreamReader} is, as its own thread saw it. */
    public enum ReaderState {
        /** Not connected yet. */
        STARTING,
        /** Connected and reading every feed. */
        READING,
        /** Lost its connection or could not connect; retrying with backoff. */
        RECONNECTING,
        /** Stopped. */
        STOPPED
    }

    /**
     * One stream to read.
     *
     * @param key           the stream's key
     * @param start         where the first connection starts reading it
     * @param trimAfterRead true to remove every entry once handled (a stream with one reader: a node inbox)
     */
    public record Feed(String key, Start start, boolean trimAfterRead) {}

    /**
     * How a {@link StreamReader} reads.
     *
     * @param readCount most entries one read takes ({@code COUNT})
     * @param block     longest wait of one read for new entries ({@code BLOCK}); bounds how long a stop takes
     * @param maxLen    the publishers' retention in entries ({@code MAXLEN ~}); on a Redis without
     *                  {@code entries-added} (before 7.0), a stream this long whose oldest entry is after
     *                  the position counts as a gap
     * @param linger    pause before the next read after a read that returned entries but fewer than
     *                  {@code readCount} (zero: none), so that at a moderate rate one read takes several entries;
     *                  the longest an entry can wait for it. At most {@link #MAX_LINGER}
     */
    public record Reading(int readCount, Duration block, long maxLen, Duration linger) {
        /** The longest linger allowed. */
        public static final Duration MAX_LINGER = Duration.ofMillis(10);

        public Reading {
            if (readCount < 1 || block.toMillis() < 1 || maxLen < 1) {
                throw new IllegalArgumentException("readCount, block and maxLen must be positive");
            }
            if (linger.isNegative() || linger.compareTo(MAX_LINGER) > 0) {
                throw new IllegalArgumentException("linger must be 0 to " + MAX_LINGER.toMillis() + " ms");
            }
        }

        /** Reads without a linger: each read is sent as soon as the previous one is handled. */
        public Reading(int readCount, Duration block, long maxLen) {
            this(readCount, block, maxLen, Duration.ZERO);
        }
    }

    /**
     * How a {@link StreamReader} waits.
     *
     * @param initialDelay  first pause before connecting again after a failure
     * @param maxDelay      longest pause; each failure in a row doubles it up to this
     * @param stopTimeout   how long {@link #close()} waits for the thread before closing its connection
     * @param checkInterval how often it inspects its feeds (lag, length, gaps) when reads are not full
     */
    public record Timing(Duration initialDelay, Duration maxDelay, Duration stopTimeout, Duration checkInterval) {
        /** 50 ms to 1 s of backoff, 5 s to stop, an inspection every second. */
        public static Timing defaults() {
            return new Timing(
                    Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1));
        }
    }

    /**
     * What the reader last saw of one feed.
     *
     * @param position   the id of the last entry handled (or the start position)
     * @param length     the stream's length at the last inspection
     * @param lagMillis  ms between the newest entry and the oldest one not handled yet, 0 when caught up
     * @param lagEntries entries not handled yet; -1 when unknown (a stream that is not trimmed after reading)
     * @param entriesRead entries handled since the reader was made
     * @param gaps       gaps found since the reader was made
     */
    public record FeedStatus(
            StreamEntryID position, long length, long lagMillis, long lagEntries, long entriesRead, long gaps) {}

    /** What a {@link StreamReader} tells its user, on the reader's thread. */
    @FunctionalInterface
    public interface Handler {
        /**
         * An entry of {@code feed}; {@code envelope} is the value of its {@code e} field, null when it has none.
         */
        void onEntry(String feed, StreamEntryID id, String envelope);

        /** A read returned {@code entries} entries of {@code feed} (before they are handled). */
        default void onBatch(String feed, int entries) {}

        /**
         * Connected and about to read.
         *
         * @param again false the first time, true after a connection was lost and made again
         */
        default void onConnected(boolean again) {}

        /** The connection was lost or could not be made; the reader waits and tries again. */
        default void onRetry() {}

        /** Entries of {@code feed} after {@code after} up to {@code upTo} (null: unknown) were never read. */
        default void onGap(String feed, StreamEntryID after, StreamEntryID upTo) {}
    }

    /** One feed's position and last inspection; written by the reader thread only. */
    private static final class FeedState {
        final Feed feed;
        volatile StreamEntryID position = Streams.START;
        volatile StreamEntryID trimmedThrough = Streams.START;
        volatile long length;
        volatile long lagMillis;
        volatile long lagEntries;
        volatile long read;
        volatile long gaps;
        StreamEntryID gapReportedUpTo = Streams.START;
        boolean baselined;
        long index = -1; // entries ever added up to the position, when known (Redis 7 entries-added)
        long untrimmed;
        long trimmedAt = System.nanoTime();
        long added = -1;

        FeedState(Feed feed) {
            this.feed = feed;
        }

        void trimmed(StreamEntryID id) {
            if (id.compareTo(trimmedThrough) > 0) {
                trimmedThrough = id;
            }
            if (id.equals(position)) {
                untrimmed = 0;
            }
            trimmedAt = System.nanoTime();
        }

        FeedStatus status() {
            return new FeedStatus(position, length, lagMillis, lagEntries, read, gaps);
        }
    }
}
