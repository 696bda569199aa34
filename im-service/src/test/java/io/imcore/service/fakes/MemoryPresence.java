package io.imcore.service.fakes;

import io.imcore.protocol.Codec;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.PresenceEvent;
import io.imcore.service.presence.InboxEntry;
import io.imcore.service.presence.Presence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Presence} in memory, for unit tests of the layers above it: online hashes, memberships, events and
 * leases as plain maps. {@link #down(boolean)} makes every call fail as a Redis outage does.
 */
public final class MemoryPresence implements Presence {
    private final String self;
    private final Map<String, Map<String, Integer>> online = new HashMap<>();
    private final Map<String, Set<String>> memberships = new HashMap<>();
    private final Map<String, String> leases = new LinkedHashMap<>();
    private final Map<String, String> sweepClaims = new HashMap<>();
    private final List<PresenceEvent> events = new ArrayList<>();
    private final Map<String, List<InboxEntry>> inboxes = new HashMap<>();
    private final List<String> memberChanges = new ArrayList<>();
    private long lastInboxId;
    private Consumer<PresenceEvent> onPublish = event -> {};
    private boolean down;

    public MemoryPresence(String self) {
        this.self = self;
    }

    /** While true, every call throws {@link StoreDown}. */
    public synchronized void down(boolean down) {
        this.down = down;
    }

    /** Also tells {@code listener} of every event published from now on. */
    public synchronized void onPublish(Consumer<PresenceEvent> listener) {
        this.onPublish = listener;
    }

    /** Every event published so far, oldest first. */
    public synchronized List<PresenceEvent> events() {
        return List.copyOf(events);
    }

    /** The events published so far as {@code type:clientId:reason}, oldest first. */
    public synchronized List<String> eventLog() {
        return events.stream()
                .map(e -> e.type() + ":" + e.clientId() + ":" + e.reason())
                .toList();
    }

    /** This node's online hash: client → connections. */
    public synchronized Map<String, Integer> online() {
        return Map.copyOf(online.getOrDefault(self, Map.of()));
    }

    /** Makes {@code clientId} a member of {@code chans}, as ImHelper's join does. */
    public synchronized void join(String clientId, String... chans) {
        memberships.computeIfAbsent(clientId, c -> new HashSet<>()).addAll(List.of(chans));
    }

    private void check() {
        if (down) {
            throw new StoreDown();
        }
    }

    @Override
    public synchronized void setConnections(String clientId, int count) {
        check();
        online.computeIfAbsent(self, s -> new HashMap<>()).put(clientId, count);
    }

    @Override
    public synchronized void removeClient(String clientId) {
        check();
        online.getOrDefault(self, new HashMap<>()).remove(clientId);
    }

    @Override
    public synchronized Set<String> channelsOf(String clientId) {
        check();
        return Set.copyOf(memberships.getOrDefault(clientId, Set.of()));
    }

    @Override
    public synchronized void leaveAllChannels(String clientId) {
        check();
        memberships.remove(clientId);
    }

    @Override
    public synchronized void restoreMemberships(String clientId, Set<String> chans) {
        check();
        memberships.computeIfAbsent(clientId, c -> new HashSet<>()).addAll(chans);
    }

    @Override
    public synchronized void publish(PresenceEvent event) {
        check();
        events.add(event);
        onPublish.accept(event);
    }

    /** Appends {@code envelope} to the inbox of node {@code entry}, as a publisher does. */
    public synchronized void addToInbox(String entry, String envelope) {
        List<InboxEntry> inbox = inboxes.computeIfAbsent(entry, e -> new ArrayList<>());
        inbox.add(new InboxEntry((++lastInboxId) + "-0", envelope));
    }

    /** The envelopes in the inbox of node {@code entry}, oldest first. */
    public synchronized List<String> inbox(String entry) {
        return inboxes.getOrDefault(entry, List.of()).stream()
                .map(InboxEntry::envelope)
                .toList();
    }

    @Override
    public synchronized List<InboxEntry> readInbox(String entry, String afterId, int count) {
        check();
        long after = afterId.isEmpty() ? 0 : Long.parseLong(afterId.substring(0, afterId.indexOf('-')));
        return inboxes.getOrDefault(entry, List.of()).stream()
                .filter(e -> idOf(e) > after)
                .limit(count)
                .toList();
    }

    @Override
    public synchronized void trimInbox(String entry, String throughId) {
        check();
        long through = Long.parseLong(throughId.substring(0, throughId.indexOf('-')));
        inboxes.getOrDefault(entry, new ArrayList<>()).removeIf(e -> idOf(e) <= through);
    }

    @Override
    public synchronized void sendToInboxes(List<Map.Entry<String, String>> envelopes) {
        check();
        envelopes.forEach(e -> addToInbox(e.getKey(), e.getValue()));
    }

    private static long idOf(InboxEntry entry) {
        return Long.parseLong(entry.id().substring(0, entry.id().indexOf('-')));
    }

    @Override
    public synchronized Set<String> onlineClientsOf(String entry) {
        check();
        return Set.copyOf(online.getOrDefault(entry, Map.of()).keySet());
    }

    @Override
    public synchronized void refreshLease(NodeLease lease) {
        check();
        leases.put(self, Codec.encode(lease));
    }

    /** Writes the lease of another node {@code entry}, as that node would. */
    public synchronized void putLease(String entry, NodeLease lease) {
        leases.put(entry, Codec.encode(lease));
    }

    @Override
    public synchronized Map<String, NodeLease> leases() {
        check();
        Map<String, NodeLease> decoded = new LinkedHashMap<>();
        leases.forEach((entry, json) -> {
            try {
                decoded.put(entry, Codec.decodeLease(json));
            } catch (Exception e) {
                decoded.put(entry, new NodeLease(0, 0, 0));
            }
        });
        return decoded;
    }

    @Override
    public synchronized String leaseOf(String entry) {
        check();
        return leases.get(entry);
    }

    @Override
    public synchronized void removeNode(String entry) {
        check();
        online.remove(entry);
        leases.remove(entry);
    }

    @Override
    public synchronized boolean hasLeftovers() {
        check();
        return online.containsKey(self) || leases.containsKey(self);
    }

    @Override
    public synchronized boolean claimSweep(String entry) {
        check();
        return sweepClaims.putIfAbsent(entry, self) == null;
    }

    @Override
    public synchronized String sweepClaimOf(String entry) {
        check();
        return sweepClaims.get(entry);
    }

    @Override
    public synchronized void forceClaimSweep(String entry) {
        check();
        sweepClaims.put(entry, self);
    }

    @Override
    public synchronized void deleteSweepClaim(String entry) {
        check();
        sweepClaims.remove(entry);
    }

    @Override
    public synchronized void releaseSweep(String entry) {
        check();
        sweepClaims.remove(entry, self);
    }

    @Override
    public synchronized String serverRunId() {
        check();
        return "memory";
    }

    /** What a call throws while the store is down. */
    public static final class StoreDown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreDown() {
            super("store down", null, false, false);
        }
    }

    @Override
    public synchronized void memberChange(String type, String entry, String reason) {
        memberChanges.add(type + " " + entry);
    }

    /** The changes added to the members feed, as {@code "<type> <entry>"}. */
    public synchronized List<String> memberChanges() {
        return List.copyOf(memberChanges);
    }

    /** Lists {@code clientId} with {@code count} connections in the online hash of {@code entry}. */
    public synchronized void setConnectionsOn(String entry, String clientId, int count) {
        online.computeIfAbsent(entry, e -> new HashMap<>()).put(clientId, count);
    }

    @Override
    public synchronized Map<String, String> nodesListing(List<String> clientIds, List<String> nodes) {
        Map<String, String> listing = new LinkedHashMap<>();
        for (String entry : nodes) {
            for (String clientId : clientIds) {
                if (online.getOrDefault(entry, Map.of()).getOrDefault(clientId, 0) > 0) {
                    listing.putIfAbsent(clientId, entry);
                }
            }
        }
        return listing;
    }
}
