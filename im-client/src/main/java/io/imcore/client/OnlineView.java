package io.imcore.client;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.ProtocolException;
import io.imcore.protocol.Servers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads online state as PROTOCOL.md section 4 defines it: a client is online when its partition node is alive
 * (its {@code <P>nodes} lease was refreshed within the lease) and lists it with a count above 0. Callers wrap
 * Jedis exceptions.
 */
final class OnlineView {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineView.class);

    private final UnifiedJedis redis;
    private final Keys keys;
    private final Servers servers;
    private final long leaseMillis;
    private final Clock clock;

    OnlineView(UnifiedJedis redis, Keys keys, Servers servers, long leaseMillis, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.servers = servers;
        this.leaseMillis = leaseMillis;
        this.clock = clock;
    }

    /** The servers entries whose lease is alive now, in servers order. */
    Set<String> aliveNodes() {
        Map<String, String> leases = redis.hgetAll(keys.nodes());
        long now = clock.millis();
        Set<String> alive = new LinkedHashSet<>();
        for (String entry : servers.entries()) {
            if (isAlive(entry, leases.get(entry), now)) {
                alive.add(entry);
            }
        }
        return alive;
    }

    /** True when the lease JSON {@code lease} of {@code entry} is valid and alive at {@code now}. */
    boolean isAlive(String entry, String lease, long now) {
        if (lease == null) {
            return false;
        }
        try {
            NodeLease decoded = Codec.decodeLease(lease);
            return decoded.isAlive(now, leaseMillis);
        } catch (ProtocolException e) {
            LOG.warn("node={} has an invalid lease in {}: {}; counted as dead", entry, keys.nodes(), e.getMessage());
            return false;
        }
    }

    long now() {
        return clock.millis();
    }

    /** Every client listed with a count above 0 by an alive node. */
    Set<String> allOnline() {
        Set<String> alive = aliveNodes();
        if (alive.isEmpty()) {
            return Set.of();
        }
        List<Response<Map<String, String>>> hashes = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String entry : alive) {
                hashes.add(pipeline.hgetAll(keys.nodeOnline(entry)));
            }
            pipeline.sync();
        }
        Set<String> online = new LinkedHashSet<>();
        for (Response<Map<String, String>> hash : hashes) {
            hash.get().forEach((clientId, count) -> {
                if (isPositive(count)) {
                    online.add(clientId);
                }
            });
        }
        return online;
    }

    /** The clients of {@code clientIds} that are online: one HMGET per alive partition node, pipelined. */
    Set<String> onlineAmong(Collection<String> clientIds) {
        if (clientIds.isEmpty()) {
            return Set.of();
        }
        Set<String> alive = aliveNodes();
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (String clientId : new LinkedHashSet<>(clientIds)) {
            String entry = servers.entryFor(clientId);
            if (alive.contains(entry)) {
                byNode.computeIfAbsent(entry, e -> new ArrayList<>()).add(clientId);
            }
        }
        if (byNode.isEmpty()) {
            return Set.of();
        }
        List<List<String>> asked = new ArrayList<>(byNode.values());
        List<Response<List<String>>> answers = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            byNode.forEach((entry, ids) ->
                    answers.add(pipeline.hmget(keys.nodeOnline(entry), ids.toArray(String[]::new))));
            pipeline.sync();
        }
        Set<String> online = new HashSet<>();
        for (int n = 0; n < asked.size(); n++) {
            List<String> ids = asked.get(n);
            List<String> counts = answers.get(n).get();
            for (int i = 0; i < ids.size(); i++) {
                if (isPositive(counts.get(i))) {
                    online.add(ids.get(i));
                }
            }
        }
        return online;
    }

    /** True when a count field of an online hash holds an integer above 0. */
    static boolean isPositive(String count) {
        if (count == null) {
            return false;
        }
        try {
            return Long.parseLong(count.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
