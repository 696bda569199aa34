package io.imcore.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.imcore.protocol.AllEnvelope;
import io.imcore.protocol.ChanEnvelope;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Envelope;
import io.imcore.protocol.Keys;
import io.imcore.protocol.KickEnvelope;
import io.imcore.protocol.MembershipEnvelope;
import io.imcore.protocol.MessageIds;
import io.imcore.protocol.MsgEnvelope;
import io.imcore.protocol.Names;
import io.imcore.protocol.PresenceEvent;
import io.imcore.protocol.Servers;
import io.imcore.protocol.TokenPayload;
import io.imcore.protocol.Tokens;
import io.imcore.redis.ClusterReader;
import io.imcore.redis.Membership;
import io.imcore.redis.MembershipView;
import io.imcore.redis.Memberships;
import io.imcore.redis.RedisConnections;
import io.imcore.redis.ReplicaAck;
import io.imcore.redis.Streams;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The business side of ImCore: issues connect tokens, pushes messages to clients and channels, manages channel
 * membership and reads online state, all through Redis as PROTOCOL.md says. Thread-safe; make one per
 * application and close it at shutdown. {@link ImHelper} offers the same methods as static ones.
 *
 * <pre>{@code
 * try (ImClient im = ImClient.create(ImClientOptions.builder()
 *         .redisUri("redis://127.0.0.1:6379")
 *         .build())) {
 *     String url = im.prevConnectServer("42", "web");         // hand this URL to terminal 42
 *     im.joinChan("42", "lobby");
 *     im.sendMessage("7", List.of("42", "43"), Map.of("text", "hi"), true);
 *     im.sendChanMessage("", "lobby", "maintenance at 22:00");
 * }
 * }</pre>
 *
 * <p>Every method validates all its arguments before touching Redis and throws
 * {@link ImInvalidArgumentException} for a bad one; {@link ImConnectionException} when Redis is unreachable or
 * slower than the configured timeouts; {@link ImException} for any other Redis failure; and
 * {@link IllegalStateException} once the client is closed. Creating a client does not connect: the first
 * command does.
 *
 * <p>A client's node is its home among the live nodes (PROTOCOL.md section 1), read from Redis and read again
 * whenever the last reading is older than {@link ImClientOptions#membershipRefresh()}: nodes may come and go
 * without this client being reconfigured or restarted. {@link #membership()} shows the reading.
 */
public final class ImClient implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ImClient.class);
    /** Most envelopes in one pipeline. */
    private static final int MAX_BATCH = 512;
    /** Most envelopes {@link #sendMessageAsync} keeps queued. */
    public static final int ASYNC_QUEUE_CAPACITY = 10_000;

    private final ImClientOptions options;
    private final RedisConnections connections;
    private final UnifiedJedis redis;
    private final Keys keys;
    private final Servers servers;
    private final Clock clock;
    private final ClusterReader online;
    private final MembershipView membership;
    private final Set<EventBus> buses = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean cluster;
    private final PublishBatcher batcher;

    ImClient(ImClientOptions options, RedisConnections connections, UnifiedJedis redis, Clock clock) {
        this.options = options;
        this.connections = connections;
        this.redis = redis;
        this.keys = new Keys(options.keyPrefix());
        this.servers = options.servers();
        this.clock = clock;
        this.online = new ClusterReader(redis, keys, servers, options.nodeLease(), clock);
        this.membership = new MembershipView(
                redis,
                keys,
                servers == null ? List.of() : servers.entries(),
                options.nodeLease(),
                options.membershipRefresh(),
                clock,
                false);
        this.cluster = connections != null && connections.isCluster();
        this.batcher = new PublishBatcher(
                cluster ? this::sendEach : this::sendBatch,
                Math.max(1, options.maxConnections() / 2),
                MAX_BATCH,
                ASYNC_QUEUE_CAPACITY,
                options.connectTimeout().plus(options.socketTimeout()));
    }

    /**
     * A client for {@code options}. On one Redis it does not connect yet, so it succeeds while Redis is down; on
     * Sentinel it asks the sentinels for the master at once, on a Redis Cluster a seed for the slots (Jedis does).
     *
     * @throws ImInvalidArgumentException when {@code options} is null
     * @throws redis.clients.jedis.exceptions.JedisException on Sentinel or Cluster, when no sentinel or seed answers
     */
    public static ImClient create(ImClientOptions options) {
        if (options == null) {
            throw new ImInvalidArgumentException("options must not be null");
        }
        RedisConnections connections = options.redisConnections();
        // borrowing waits at most connect + socket timeout
        UnifiedJedis redis = connections.newClient(
                options.maxConnections(), options.connectTimeout().plus(options.socketTimeout()));
        ImClient client = new ImClient(options, connections, redis, Clock.systemUTC());
        LOG.info("ImClient created: {}", options);
        return client;
    }

    /** The options this client was made with. */
    public ImClientOptions options() {
        return options;
    }

    /**
     * The membership this client routes by, read again first when it is older than
     * {@link ImClientOptions#membershipRefresh()}: the members, their leases and any conflict between their
     * routing rules or allow-lists and this client's (logged at ERROR when it appears).
     */
    public Membership membership() {
        ensureOpen();
        return call("membership", membership::fresh);
    }

    /**
     * Issues a one-time connect token for {@code clientId}: {@code SET <P>token:<token> {"v":1,"clientId",
     * "metadata"} EX tokenTtl}.
     *
     * @param clientId the terminal's client id
     * @param metadata anything the node should pass back in events (at most 4096 UTF-8 bytes, "" for none)
     * @return the URL the terminal opens: {@code <connect URL of the client's home node>?token=<token>}
     * @throws ImException when no node is alive and no allow-list names one
     */
    public String prevConnectServer(String clientId, String metadata) {
        ensureOpen();
        check(() -> {
            Names.requireClientId(clientId);
            Names.requireMetadata(metadata);
        });
        String token = Tokens.newToken();
        String payload = Codec.encode(new TokenPayload(clientId, metadata));
        String entry = home("prevConnectServer", clientId);
        long ttl = options.tokenTtl().toSeconds();
        call(
                "prevConnectServer",
                () -> redis.set(
                        keys.token(token), payload, SetParams.setParams().ex(ttl)));
        LOG.debug("token {} issued client={} node={}", Tokens.mask(token), clientId, entry);
        return Servers.connectUrl(entry) + "?token=" + token;
    }

    /** {@link #prevConnectServer(String, String)} without metadata. */
    public String prevConnectServer(String clientId) {
        return prevConnectServer(clientId, "");
    }

    /**
     * Sends {@code message} to every receiver: one {@code msg} envelope per node, appended to that node's
     * inbox stream (one pipeline, one round trip, when the receivers live on several nodes). Once this returns,
     * each node gets its envelope exactly once (PROTOCOL.md section 5). Duplicate receivers are sent once. With no
     * receivers nothing is published and the id is still returned.
     *
     * <p>Group commit: the envelopes of calls made at the same time from several threads go to Redis together, in
     * one pipeline per batch (while a batch is in flight the next calls queue; at most half of
     * {@link ImClientOptions#maxConnections()} batches in flight), and each call returns, or throws, once its own
     * envelopes were answered. A lone call is sent at once, as its own batch. On a Redis Cluster each call is sent
     * on its own.
     *
     * @param senderClientId the sender, or "" for a system message (which never gets receipts)
     * @param receiverClientIds the receivers
     * @param message a {@link String} arrives as a JSON string, a Jackson {@code JsonNode} as it is, any other
     *     object as its Jackson JSON
     * @param receipt whether the sender's connections get a {@code receipt} frame per receiver
     * @return the message id
     */
    public String sendMessage(
            String senderClientId, Collection<String> receiverClientIds, Object message, boolean receipt) {
        ensureOpen();
        Outgoing outgoing = validMessage(senderClientId, receiverClientIds, message);
        PublishBatcher.Publish publish = route(outgoing, receipt);
        if (publish != null) {
            if (cluster) {
                publishAll(publish.operation, publish.streams);
            } else {
                batcher.publish(publish);
            }
        }
        return outgoing.id();
    }

    /**
     * {@link #sendMessage(String, Collection, Object, boolean)} without waiting: the envelopes are queued for a
     * publishing thread of this client that sends what is queued in pipelines of up to 512 envelopes, one
     * pipeline at a time, so the messages of one caller reach Redis in the order of its calls (the order against
     * this client's synchronous sends is not kept).
     *
     * <p>The future completes with the message id once Redis accepted every envelope of the message (and, with
     * {@link ImClientOptions.Builder#waitReplicas}, the replicas acknowledged them): from then on the promise of
     * {@link #sendMessage(String, Collection, Object, boolean)} holds. It fails with the exceptions that
     * {@code sendMessage} throws ({@link ImConnectionException}, {@link ImException}), and with
     * {@link IllegalStateException} when the client is closed before the message was sent ({@link #close()} sends
     * what is queued first, waiting at most connect + socket timeout). Actions that depend on it without
     * {@code Async} run on the publishing thread: keep them short, or use the {@code …Async} variants.
     *
     * <p>Backpressure: at most {@value #ASYNC_QUEUE_CAPACITY} envelopes wait in the queue. While it is full, this
     * method blocks its caller until there is room, at most connect + socket timeout; after that the returned
     * future fails with {@link ImException} and nothing was published.
     *
     * @return completes with the message id
     * @throws ImInvalidArgumentException for a bad argument, at once, before anything is queued or written
     * @throws IllegalStateException when the client is closed
     */
    public CompletableFuture<String> sendMessageAsync(
            String senderClientId, Collection<String> receiverClientIds, Object message, boolean receipt) {
        ensureOpen();
        Outgoing outgoing = validMessage(senderClientId, receiverClientIds, message);
        PublishBatcher.Publish publish;
        try {
            publish = route(outgoing, receipt);
        } catch (ImException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (publish == null) {
            return CompletableFuture.completedFuture(outgoing.id());
        }
        return batcher.publishAsync(publish).thenApply(done -> outgoing.id());
    }

    /** {@link #sendMessageAsync(String, Collection, Object, boolean)} without receipts. */
    public CompletableFuture<String> sendMessageAsync(
            String senderClientId, Collection<String> receiverClientIds, Object message) {
        return sendMessageAsync(senderClientId, receiverClientIds, message, false);
    }

    private record Outgoing(String id, String sender, Set<String> receivers, JsonNode data) {}

    private Outgoing validMessage(String senderClientId, Collection<String> receiverClientIds, Object message) {
        Set<String> receivers = new LinkedHashSet<>();
        JsonNode data = valid(() -> {
            requireSender(senderClientId);
            if (receiverClientIds == null) {
                throw new IllegalArgumentException("receiverClientIds must not be null");
            }
            for (String receiver : receiverClientIds) {
                receivers.add(Names.requireClientId(receiver));
            }
            return Codec.toData(message);
        });
        return new Outgoing(MessageIds.newId(), senderClientId, receivers, data);
    }

    /** One {@code msg} envelope per node of the receivers, by inbox; null when there are no receivers. */
    private PublishBatcher.Publish route(Outgoing outgoing, boolean receipt) {
        if (outgoing.receivers().isEmpty()) {
            LOG.debug("message {} from={} has no receivers: nothing published", outgoing.id(), outgoing.sender());
            return null;
        }
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        Membership members = call("sendMessage", membership::fresh);
        for (String receiver : outgoing.receivers()) {
            byNode.computeIfAbsent(home(members, receiver), e -> new ArrayList<>())
                    .add(receiver);
        }
        long ts = clock.millis();
        Map<String, String> publishes = new LinkedHashMap<>();
        byNode.forEach((entry, to) -> publishes.put(
                keys.inbox(entry),
                Codec.encode(new MsgEnvelope(outgoing.id(), outgoing.sender(), to, outgoing.data(), receipt, ts))));
        LOG.debug(
                "message {} from={} to {} receivers on {} nodes",
                outgoing.id(),
                outgoing.sender(),
                outgoing.receivers().size(),
                byNode.size());
        return new PublishBatcher.Publish("sendMessage", publishes);
    }

    /** {@link #sendMessage(String, Collection, Object, boolean)} without receipts. */
    public String sendMessage(String senderClientId, Collection<String> receiverClientIds, Object message) {
        return sendMessage(senderClientId, receiverClientIds, message, false);
    }

    /**
     * The clients online now: the union, over the servers entries whose node lease is alive, of the clients
     * their {@code <P>node:<entry>:online} hash lists with a count above 0.
     */
    public Set<String> getClientListByOnline() {
        ensureOpen();
        return Set.copyOf(call("getClientListByOnline", online::allOnline));
    }

    /**
     * True when an alive node lists {@code clientId} with a count above 0 (usually its home, for a moment the node it
     * leaves): from its {@code online} event to its {@code offline} event, that is while it has a connection, and for
     * up to the node's {@code websocket.resume.offlineDelay} (default 5 s) after its last one closed (PROTOCOL.md 3.1).
     */
    public boolean hasOnline(String clientId) {
        ensureOpen();
        check(() -> Names.requireClientId(clientId));
        return call("hasOnline", () -> online.connections(clientId) > 0);
    }

    /**
     * Reads online and offline events ({@code <P>events}, from the present on) on a thread and connection of its
     * own; after a lost connection it resumes where it stopped.
     * Either callback may be null to ignore that kind; see {@link EventBus} for threading and reconnection.
     * The bus is closed by {@link EventBus#close()} or with this client.
     *
     * @throws ImInvalidArgumentException when both callbacks are null
     */
    public EventBus eventBus(Consumer<PresenceEvent> onOnline, Consumer<PresenceEvent> onOffline) {
        ensureOpen();
        if (onOnline == null && onOffline == null) {
            throw new ImInvalidArgumentException("eventBus needs at least one callback");
        }
        Duration stopTimeout = options.connectTimeout().plus(options.socketTimeout());
        EventBus bus = new EventBus(
                () -> connections.newReaderConnection(keys.events()),
                keys.events(),
                onOnline,
                onOffline,
                options,
                stopTimeout,
                buses::remove);
        buses.add(bus);
        bus.start();
        return bus;
    }

    /**
     * Makes {@code clientId} a member of {@code chan}: {@code HSET <P>chan:<chan> clientId <now>} and
     * {@code SADD <P>client:<clientId>:chans chan}, then {@code SADD <P>chans chan} and XADD of a {@code join}
     * envelope to the client's node inbox (single-key steps, see {@link Memberships}). Idempotent: call it again
     * after an exception; an offline client's membership takes effect when it connects.
     */
    public void joinChan(String clientId, String chan) {
        ensureOpen();
        check(() -> {
            Names.requireClientId(clientId);
            Names.requireChannel(chan);
        });
        String inbox = keys.inbox(home("joinChan", clientId));
        String envelope = Codec.encode(MembershipEnvelope.join(clientId, List.of(chan)));
        String joinedAt = Long.toString(clock.millis());
        call("joinChan", () -> {
            Memberships.join(redis, keys, clientId, chan, joinedAt, inbox, options.streamMaxLen(), envelope);
            return null;
        });
        LOG.debug("client={} joined chan={}", clientId, chan);
    }

    /**
     * Removes {@code clientId} from {@code chan}: {@code HDEL <P>chan:<chan>}, {@code SREM <P>chans chan} when the
     * channel has no member left, {@code SREM <P>client:<clientId>:chans}, then XADD of a {@code leave} envelope
     * to the client's node inbox (single-key steps, see {@link Memberships}). Idempotent: call it again after an
     * exception.
     */
    public void leaveChan(String clientId, String chan) {
        ensureOpen();
        check(() -> {
            Names.requireClientId(clientId);
            Names.requireChannel(chan);
        });
        String inbox = keys.inbox(home("leaveChan", clientId));
        String envelope = Codec.encode(MembershipEnvelope.leave(clientId, List.of(chan)));
        call("leaveChan", () -> {
            Memberships.leave(redis, keys, clientId, List.of(chan), inbox, options.streamMaxLen(), envelope);
            return null;
        });
        LOG.debug("client={} left chan={}", clientId, chan);
    }

    /** The members of {@code chan}, online or not ({@code HKEYS <P>chan:<chan>}). */
    public Set<String> getChanClientList(String chan) {
        ensureOpen();
        check(() -> Names.requireChannel(chan));
        return Set.copyOf(call("getChanClientList", () -> redis.hkeys(keys.chan(chan))));
    }

    /** Every channel that has a member ({@code <P>chans}), sorted by name, each with its online member count. */
    public List<ChannelInfo> getChanList() {
        ensureOpen();
        return call("getChanList", () -> {
            List<String> chans = new ArrayList<>(redis.smembers(keys.chans()));
            chans.sort(Comparator.naturalOrder());
            if (chans.isEmpty()) {
                return List.of();
            }
            List<Response<Set<String>>> members = new ArrayList<>();
            try (AbstractPipeline pipeline = redis.pipelined()) {
                for (String chan : chans) {
                    members.add(pipeline.hkeys(keys.chan(chan)));
                }
                pipeline.sync();
            }
            Set<String> everyone = new LinkedHashSet<>();
            members.forEach(m -> everyone.addAll(m.get()));
            Set<String> onlineNow = online.onlineAmong(everyone);
            List<ChannelInfo> list = new ArrayList<>(chans.size());
            for (int i = 0; i < chans.size(); i++) {
                long count = members.get(i).get().stream()
                        .filter(onlineNow::contains)
                        .count();
                list.add(new ChannelInfo(chans.get(i), count));
            }
            return List.copyOf(list);
        });
    }

    /** The channels {@code clientId} is a member of ({@code SMEMBERS <P>client:<clientId>:chans}). */
    public Set<String> getChanListByClientId(String clientId) {
        ensureOpen();
        check(() -> Names.requireClientId(clientId));
        return Set.copyOf(call("getChanListByClientId", () -> redis.smembers(keys.clientChans(clientId))));
    }

    /** How many members of {@code chan} are online (alive partition node, count above 0). */
    public long getChanOnline(String chan) {
        ensureOpen();
        check(() -> Names.requireChannel(chan));
        return call("getChanOnline", () ->
                (long) online.onlineAmong(redis.hkeys(keys.chan(chan))).size());
    }

    /**
     * Sends {@code message} to the members of {@code chan}: one {@code chan} envelope on {@code <P>broadcast}
     * (on a Redis Cluster, on every node's inbox); every node delivers it to its connections of members.
     *
     * @param senderClientId the sender, or "" for a system message
     * @return the message id
     */
    public String sendChanMessage(String senderClientId, String chan, Object message) {
        ensureOpen();
        JsonNode data = valid(() -> {
            requireSender(senderClientId);
            Names.requireChannel(chan);
            return Codec.toData(message);
        });
        String id = MessageIds.newId();
        publishToEveryNode("sendChanMessage", new ChanEnvelope(id, senderClientId, chan, data, clock.millis()));
        LOG.debug("chan message {} from={} chan={}", id, senderClientId, chan);
        return id;
    }

    /** Closes every connection of {@code clientId} (close code 1008): a {@code kick} envelope to its node. */
    public void forceOffline(String clientId) {
        ensureOpen();
        check(() -> Names.requireClientId(clientId));
        String entry = home("forceOffline", clientId);
        publish("forceOffline", keys.inbox(entry), new KickEnvelope(clientId));
        LOG.debug("kick client={} node={}", clientId, entry);
    }

    /**
     * Sends {@code message} to every connection of every node: one {@code all} envelope with an empty
     * {@code from} on {@code <P>broadcast} (on a Redis Cluster, on every node's inbox).
     *
     * @return the message id
     */
    public String sendBroadcastMessage(Object message) {
        ensureOpen();
        JsonNode data = valid(() -> Codec.toData(message));
        String id = MessageIds.newId();
        publishToEveryNode("sendBroadcastMessage", new AllEnvelope(id, "", data, clock.millis()));
        LOG.debug("broadcast message {}", id);
        return id;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Closes every event bus of this client, then the Redis connections. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (EventBus bus : List.copyOf(buses)) {
            bus.close();
        }
        batcher.close(options.connectTimeout().plus(options.socketTimeout()));
        try {
            redis.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the Redis client failed: {}", e.toString());
        }
        LOG.info("ImClient closed");
    }

    @Override
    public String toString() {
        return "ImClient{" + options + (closed.get() ? ", closed" : "") + "}";
    }

    private String home(String operation, String clientId) {
        return home(call(operation, membership::fresh), clientId);
    }

    /** The home of {@code clientId}; with no member alive, its home among the allow-list, whose inboxes wait. */
    private String home(Membership members, String clientId) {
        String home = members.home(clientId);
        if (home != null) {
            return home;
        }
        if (servers != null) {
            return servers.entryFor(clientId);
        }
        throw new ImException("no im-service node is alive in Redis (" + keys.nodes() + ") and no servers "
                + "allow-list is configured: nowhere to route client " + clientId);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this ImClient is closed");
        }
    }

    private static void requireSender(String sender) {
        if (sender == null) {
            throw new IllegalArgumentException("senderClientId must not be null (use \"\" for a system message)");
        }
        if (!sender.isEmpty()) {
            Names.requireClientId(sender);
        }
    }

    private void publish(String operation, String stream, Envelope envelope) {
        String json = Codec.encode(envelope);
        if (options.replicaAck().isOn()) {
            publishAll(operation, Map.of(stream, json));
            return;
        }
        call(operation, () -> redis.xadd(stream, Streams.addParams(options.streamMaxLen()), Streams.entry(json)));
    }

    /**
     * A {@code chan} or {@code all} envelope, for every node: on one Redis and on Sentinel one entry on
     * {@code <P>broadcast}; on a Redis Cluster one entry on the inbox of every node of {@code servers}, pipelined,
     * so that channel traffic spreads over the masters that hold the inboxes instead of loading the one master of
     * {@code <P>broadcast} (PROTOCOL.md 5.8).
     */
    private void publishToEveryNode(String operation, Envelope envelope) {
        if (!connections.isCluster()) {
            publish(operation, keys.broadcast(), envelope);
            return;
        }
        String json = Codec.encode(envelope);
        // every live member, and every allow-list entry (a node of the list that is starting reads its inbox)
        Set<String> nodes =
                new LinkedHashSet<>(call(operation, membership::fresh).members());
        if (servers != null) {
            nodes.addAll(servers.entries());
        }
        Map<String, String> publishes = new LinkedHashMap<>();
        for (String entry : nodes) {
            publishes.put(keys.inbox(entry), json);
        }
        if (publishes.isEmpty()) {
            throw new ImException("no im-service node is alive in Redis (" + keys.nodes() + ") and no servers "
                    + "allow-list is configured: nowhere to publish " + operation);
        }
        publishAll(operation, publishes);
    }

    private void publishAll(String operation, Map<String, String> publishes) {
        ReplicaAck ack = options.replicaAck();
        if (publishes.size() == 1 && !ack.isOn()) {
            Map.Entry<String, String> only = publishes.entrySet().iterator().next();
            call(
                    operation,
                    () -> redis.xadd(
                            only.getKey(), Streams.addParams(options.streamMaxLen()), Streams.entry(only.getValue())));
            return;
        }
        call(operation, () -> {
            List<Response<StreamEntryID>> answers = new ArrayList<>();
            List<Response<Long>> acked;
            try (AbstractPipeline pipeline = redis.pipelined()) {
                publishes.forEach((stream, json) -> answers.add(
                        pipeline.xadd(stream, Streams.addParams(options.streamMaxLen()), Streams.entry(json))));
                acked = ack.append(pipeline, publishes.keySet(), connections.isCluster());
                pipeline.sync();
            }
            answers.forEach(Response::get); // surfaces an error reply
            if (!ack.allSatisfied(acked)) {
                throw notReplicated(operation, ack);
            }
            return null;
        });
    }

    /** A batch in one pipeline: every XADD, then the {@code WAIT} when on; each publish answered by its own XADDs. */
    private void sendBatch(List<PublishBatcher.Publish> batch) {
        ReplicaAck ack = options.replicaAck();
        if (batch.size() == 1 && batch.get(0).streams.size() == 1 && !ack.isOn()) {
            PublishBatcher.Publish only = batch.get(0);
            Map.Entry<String, String> entry = only.streams.entrySet().iterator().next();
            call(
                    only.operation,
                    () -> redis.xadd(
                            entry.getKey(),
                            Streams.addParams(options.streamMaxLen()),
                            Streams.entry(entry.getValue())));
            only.result.complete(null);
            return;
        }
        List<List<Response<StreamEntryID>>> answers = new ArrayList<>(batch.size());
        Set<String> streams = new LinkedHashSet<>();
        List<Response<Long>> acked;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (PublishBatcher.Publish publish : batch) {
                List<Response<StreamEntryID>> own = new ArrayList<>(publish.streams.size());
                publish.streams.forEach((stream, json) ->
                        own.add(pipeline.xadd(stream, Streams.addParams(options.streamMaxLen()), Streams.entry(json))));
                answers.add(own);
                streams.addAll(publish.streams.keySet());
            }
            acked = ack.append(pipeline, streams, false);
            pipeline.sync();
        } catch (JedisException e) {
            for (PublishBatcher.Publish publish : batch) {
                publish.result.completeExceptionally(translate(publish.operation, e));
            }
            return;
        }
        boolean replicated;
        try {
            replicated = ack.allSatisfied(acked);
        } catch (JedisException e) {
            for (PublishBatcher.Publish publish : batch) {
                publish.result.completeExceptionally(translate(publish.operation, e));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            PublishBatcher.Publish publish = batch.get(i);
            try {
                answers.get(i).forEach(Response::get); // surfaces an error reply
            } catch (JedisException e) {
                publish.result.completeExceptionally(translate(publish.operation, e));
                continue;
            }
            if (replicated) {
                publish.result.complete(null);
            } else {
                publish.result.completeExceptionally(notReplicated(publish.operation, ack));
            }
        }
    }

    /** On a Redis Cluster: each publish on its own, as a synchronous call does (a pipeline does not follow MOVED). */
    private void sendEach(List<PublishBatcher.Publish> batch) {
        for (PublishBatcher.Publish publish : batch) {
            try {
                publishAll(publish.operation, publish.streams);
                publish.result.complete(null);
            } catch (RuntimeException e) {
                publish.result.completeExceptionally(e);
            }
        }
    }

    private static ImException notReplicated(String operation, ReplicaAck ack) {
        return new ImException(operation + ": published, but not acknowledged by " + ack.replicas()
                + " replica(s) within " + ack.timeout().toMillis() + " ms: a failover may lose it");
    }

    private static void check(Runnable validation) {
        valid(() -> {
            validation.run();
            return null;
        });
    }

    private static <T> T valid(Supplier<T> validation) {
        try {
            return validation.get();
        } catch (IllegalArgumentException e) {
            throw new ImInvalidArgumentException(e.getMessage(), e);
        }
    }

    private <T> T call(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw translate(operation, e);
        }
    }

    /** The {@link ImException} a caller gets for {@code e}. */
    private RuntimeException translate(String operation, JedisException e) {
        if (e instanceof JedisConnectionException) {
            renewClusterSlots();
            return new ImConnectionException(
                    operation + ": Redis at " + connectionsName() + " is unreachable or did not answer in time: "
                            + e.getMessage(),
                    e);
        }
        if (e instanceof JedisClusterException) {
            renewClusterSlots(); // CLUSTERDOWN while a replica is promoted
        }
        if (e.getCause() instanceof NoSuchElementException) {
            return new ImConnectionException(
                    operation + ": no Redis connection became free in time (pool of " + options.maxConnections() + ")",
                    e);
        }
        return new ImException(operation + " failed: " + e.getMessage(), e);
    }

    /**
     * On a Redis Cluster, learns the slots again: a pipeline neither follows a failover nor renews the slots on a
     * connection failure (single commands do), so the next call after a failover would go to the dead master.
     */
    private void renewClusterSlots() {
        if (redis instanceof RedisClusterClient cluster) {
            try {
                cluster.refreshClusterTopology();
            } catch (RuntimeException e) {
                LOG.debug("could not learn the cluster's slots again: {}", e.toString());
            }
        }
    }

    private String connectionsName() {
        return connections == null ? "?" : connections.toString();
    }
}
