/**
 * This node's connections: the {@link io.imcore.service.hub.Hub} (client id → connections, channel → local
 * members) and each connection's {@link io.imcore.service.hub.Session} with its bounded outbound queue. Nothing
 * here knows Redis or Jetty; a session writes through a {@link io.imcore.service.hub.FrameSink}.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li><b>Jetty's request threads</b> ({@code dw-*}): upgrades (token, then {@code Node.connect}), closes
 *       ({@code Node.disconnected}). They change one client at a time, inside its lock, and write its presence to
 *       Redis there.</li>
 *   <li><b>Jetty's selector thread</b>: frames from terminals ({@code Session.heard}, acks, {@code pong}), read
 *       where the socket was found readable ({@code SelectorReadConnection}); nothing there may block, so a close
 *       noticed while reading hands {@code Node.disconnected} to a request thread.</li>
 *   <li><b>Jetty's write completions</b> (its selector and pool threads): a session's
 *       {@link io.imcore.service.hub.WriteCallback}s; they count the queue down and decide receipts, which they
 *       hand to {@code im-publisher} because they must not block.</li>
 *   <li><b>{@code im-reader}</b>: every envelope of this node's inbox and of {@code broadcast}, one after
 *       another ({@code Delivery}). It reads the hub without locks and queues frames on sessions; membership
 *       envelopes change one client inside its lock; a kick closes sessions. After a Redis outage it also runs
 *       the re-assert of every client ({@code ClientPresence.reassert}, each inside its lock).</li>
 *   <li><b>{@code im-fanout-N}</b>: help {@code im-reader} queue one frame on a long list of sessions; it
 *       waits for them before the next envelope, so each session still gets frames in envelope order.</li>
 *   <li><b>{@code im-scheduler}</b> (one thread): the heartbeat slices (ping, close silent sessions; no lock), the
 *       lease refresh and dead-node sweep, the age trim of {@code broadcast} and {@code events}, and the repair that
 *       re-asserts clients after failed writes.</li>
 *   <li><b>{@code im-publisher}</b>: asynchronous publishes (receipts); it never touches the hub.</li>
 *   <li><b>{@code im-drain}</b> and the stopping thread (Jetty's stop, or {@code im-stop} on SIGTERM): drop
 *       clients one at a time inside their lock, close their sessions, then write them offline.</li>
 * </ul>
 *
 * <h2>What guards what</h2>
 * <ul>
 *   <li><b>The client lock</b>, owned by the hub ({@code Hub.withClient}, {@code ifConnected},
 *       {@code forEachClient}, {@code drop}): a client's entry appearing and going, its connection list and channel
 *       set changing, its {@code announced} and {@code removed} flags, the channels that linger while its session
 *       waits for a resume ({@code Hub.changeLingering}, {@code endLingering}; taken back by its next connection
 *       in {@code tryAdd}), its offline grace ({@code ClientPresence}), and the Redis writes about that client
 *       (online hash field, memberships, online/offline events), so they follow the order of its connects and
 *       closes. The window and grace timers ({@code im-scheduler}) take the lock of a client without
 *       connections (an entry made for it). Readers of the connection list and channel set ({@code sessions}, {@code members},
 *       {@code forEachSession}) take no lock and may see a change a moment late.</li>
 *   <li><b>The connection count</b>: one atomic compare-and-set in {@code Hub.tryAdd}, so racing connects never
 *       pass the node's limit together.</li>
 *   <li><b>A session's queue</b>: atomic frame and byte counters and a close flag set once, written from any
 *       thread; frames sent before {@code hello} are held under the session's own monitor.</li>
 *   <li><b>Admission</b> ({@code Node}): a connect holds the read side of a read-write lock from its shutdown
 *       check until it is registered; {@code stopAccepting} takes the write side.</li>
 *   <li><b>Re-assert</b> ({@code ClientPresence}): one at a time; the lease keeper's refresh, resync and leave
 *       never overlap (its monitor).</li>
 * </ul>
 * Lock order: admission or re-assert, then one client's lock; a session's monitor is held for nothing but its
 * held-back frames. No code holds two clients' locks at once, and no frame write waits for a client lock.
 */
package io.imcore.service.hub;
