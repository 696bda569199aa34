package io.imcore.service.routing;

import com.codahale.metrics.Counter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.service.broker.Broker;
import io.imcore.service.config.Cluster;
import io.imcore.service.presence.Presence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends on, once, an inbox envelope for clients that are not connected here but on another alive node (PROTOCOL.md
 * section 5): while a client moves between nodes, or after the membership changed, a publisher may route to the
 * client's new home before the client got there, or to the new home while it is still on the old one. The
 * envelope is copied with {@code to} narrowed to the clients of the target node and {@code "fwd":true}; an
 * envelope that carries {@code fwd} is never forwarded again. Reads the online hashes of the other alive nodes
 * (one pipeline); what no node lists is left to the caller (an {@code offline} receipt for a message).
 */
public class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    /** Forwards nothing: for a node alone. */
    public static final Forwarder NONE = new Forwarder(null, null, null, null, new Counter()) {
        @Override
        public List<String> forward(String payload, List<String> clientIds) {
            return clientIds;
        }
    };

    private final Presence presence;
    private final Broker broker;
    private final Keys keys;
    private final Cluster cluster;
    private final Counter forwarded;

    /** @param forwarded counts the clients an envelope was forwarded for ({@code im.envelopes.forwarded}) */
    public Forwarder(Presence presence, Broker broker, Keys keys, Cluster cluster, Counter forwarded) {
        this.presence = presence;
        this.broker = broker;
        this.keys = keys;
        this.cluster = cluster;
        this.forwarded = forwarded;
    }

    /** True when {@code payload} is an envelope that was forwarded already. */
    public static boolean isForwarded(String payload) {
        try {
            return Codec.mapper().readTree(payload).path("fwd").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Forwards {@code payload} for those of {@code clientIds} connected on another alive node ({@code to} of a
     * {@code msg}, or the one client of another envelope, whose {@code to}/{@code clientId} stays as is).
     *
     * @return the clients no other node lists: for the caller to answer
     */
    public List<String> forward(String payload, List<String> clientIds) {
        if (clientIds.isEmpty() || isForwarded(payload)) {
            return clientIds;
        }
        List<String> others = otherAliveNodes();
        if (others.isEmpty()) {
            return clientIds;
        }
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        List<String> nowhere = new ArrayList<>();
        try {
            Map<String, String> listing = presence.nodesListing(clientIds, others);
            for (String clientId : clientIds) {
                String node = listing.get(clientId);
                if (node == null) {
                    nowhere.add(clientId);
                } else {
                    byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(clientId);
                }
            }
            ObjectNode tree = (ObjectNode) Codec.mapper().readTree(payload);
            byNode.forEach((entry, ids) -> {
                ObjectNode copy = tree.deepCopy();
                JsonNode to = copy.get("to");
                if (to != null && to.isArray()) {
                    copy.set("to", Codec.mapper().valueToTree(ids));
                }
                copy.put("fwd", true);
                broker.publishAsync(keys.inbox(entry), copy.toString());
                forwarded.inc(ids.size());
                LOG.debug(
                        "forwarded a {} for {} clients to node={}",
                        tree.path("type").asText(),
                        ids.size(),
                        entry);
            });
        } catch (Exception e) {
            LOG.warn("forwarding failed, answered as not connected: {}", e.toString());
            return clientIds;
        }
        return nowhere;
    }

    private List<String> otherAliveNodes() {
        long now = System.currentTimeMillis();
        long lease = cluster.lease().toMillis();
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, NodeLease> e : cluster.view().snapshot().leases().entrySet()) {
            if (!e.getKey().equals(cluster.self()) && e.getValue().isAlive(now, lease)) {
                others.add(e.getKey());
            }
        }
        others.sort(null);
        return others;
    }
}
