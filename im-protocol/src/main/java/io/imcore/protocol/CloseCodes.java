package io.imcore.protocol;

/**
 * Every WebSocket close code a node uses (PROTOCOL.md section 3), and what a terminal should do.
 */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The node is shutting down or draining: reconnect after a short random delay. */
    public static final int GOING_AWAY = 1001;
    /** Policy: kicked by {@code forceOffline}. Do not reconnect automatically. */
    public static final int POLICY = 1008;
    /** A frame larger than the node's limit was received. */
    public static final int TOO_BIG = 1009;
    /** The node failed internally. */
    public static final int INTERNAL_ERROR = 1011;
    /** Slow consumer, base code: {@code 4000 + n}. */
    public static final int SLOW_CONSUMER = 4000;
    /** Slow consumer: the connection's outbound queue exceeded its frame limit. */
    public static final int SLOW_CONSUMER_FRAMES = SLOW_CONSUMER;
    /** Slow consumer: the connection's outbound queue exceeded its byte limit. */
    public static final int SLOW_CONSUMER_BYTES = SLOW_CONSUMER + 1;

    private CloseCodes() {}

    /** A short description of {@code code}, for logs and documentation. */
    public static String describe(int code) {
        return switch (code) {
            case NORMAL -> "normal";
            case GOING_AWAY -> "node shutting down or draining";
            case POLICY -> "kicked";
            case TOO_BIG -> "frame too large";
            case INTERNAL_ERROR -> "internal error";
            case SLOW_CONSUMER_FRAMES -> "slow consumer: outbound queue full (frames)";
            case SLOW_CONSUMER_BYTES -> "slow consumer: outbound queue full (bytes)";
            default -> "code " + code;
        };
    }

    /** True for the slow-consumer range {@code 4000..4099}. */
    public static boolean isSlowConsumer(int code) {
        return code >= SLOW_CONSUMER && code < SLOW_CONSUMER + 100;
    }
}
