package io.imcore.redis;

import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.NodeLease;
import io.imcore.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the {@code <P>nodes} hash (PROTOCOL.md section 4). An entry that does not decode is logged and counts
 * as a lease seen at 0: dead.
 */
public final class NodeLeases {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLeases.class);
    private static final NodeLease INVALID = new NodeLease(0, 0, 0);

    private NodeLeases() {}

    /** Every entry of {@code nodes}, decoded, in the order Redis returned them. */
    public static Map<String, NodeLease> read(UnifiedJedis redis, Keys keys) {
        Map<String, NodeLease> leases = new LinkedHashMap<>();
        redis.hgetAll(keys.nodes()).forEach((entry, json) -> leases.put(entry, decode(entry, json, keys)));
        return leases;
    }

    /** The lease JSON {@code json} of {@code entry}; null for null, a dead lease for one that does not decode. */
    public static NodeLease decode(String entry, String json, Keys keys) {
        if (json == null) {
            return null;
        }
        try {
            return Codec.decodeLease(json);
        } catch (ProtocolException e) {
            LOG.warn("node={} has an invalid lease in {}: {}; counted as dead", entry, keys.nodes(), e.getMessage());
            return INVALID;
        }
    }
}
