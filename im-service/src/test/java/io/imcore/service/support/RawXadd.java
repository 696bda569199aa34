package io.imcore.service.support;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Appends entries as a raw publisher in any language would, following PROTOCOL.md section 5 to the letter:
 * {@code XADD <key> MAXLEN ~ 100000 * e <envelope>}.
 */
public final class RawXadd {
    private static final ProtocolCommand XADD = Protocol.Command.XADD;

    private RawXadd() {}

    /** {@code XADD key MAXLEN ~ 100000 * e envelope}. */
    public static void xadd(UnifiedJedis redis, String key, String envelope) {
        redis.sendCommand(XADD, key, "MAXLEN", "~", "100000", "*", "e", envelope);
    }

    /** The same with raw bytes for the envelope (which need not be UTF-8). */
    public static void xadd(UnifiedJedis redis, String key, byte[] envelope) {
        redis.sendCommand(
                XADD, bytes(key), bytes("MAXLEN"), bytes("~"), bytes("100000"), bytes("*"), bytes("e"), envelope);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
