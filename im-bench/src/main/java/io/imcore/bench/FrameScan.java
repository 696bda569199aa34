package io.imcore.bench;

/**
 * Reads the benchmark's marks out of a received frame without parsing its JSON. Every message the bench
 * publishes has {@code data = {"b":"<run>","p":<phase>,"s":<seq>,"x":"<padding>"}}, which the node passes
 * through unchanged, so a frame of this run holds {@code "data":{"b":"<run>","p":<phase>,"s":<seq>}.
 */
final class FrameScan {
    /** What {@link #scan} returns for a frame without this run's marks. */
    static final long NOT_OURS = -1;

    private final String marker;

    FrameScan(String run) {
        this.marker = "\"data\":{\"b\":\"" + run + "\",\"p\":";
    }

    /** The data value a message of {@code phase} and {@code seq} carries, with {@code padding}. */
    static String dataJson(String run, int phase, long seq, String padding) {
        return "{\"b\":\"" + run + "\",\"p\":" + phase + ",\"s\":" + seq + ",\"x\":\"" + padding + "\"}";
    }

    /** {@code phase << 40 | seq} of a frame of this run, else {@link #NOT_OURS}. */
    long scan(String frame) {
        int at = frame.indexOf(marker);
        if (at < 0) {
            return NOT_OURS;
        }
        int i = at + marker.length();
        long phase = 0;
        int digits = 0;
        while (i < frame.length() && Character.isDigit(frame.charAt(i)) && digits < 4) {
            phase = phase * 10 + (frame.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || !frame.startsWith(",\"s\":", i)) {
            return NOT_OURS;
        }
        i += 5;
        long seq = 0;
        digits = 0;
        while (i < frame.length() && Character.isDigit(frame.charAt(i)) && digits < 12) {
            seq = seq * 10 + (frame.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || seq >= (1L << 40)) {
            return NOT_OURS;
        }
        return phase << 40 | seq;
    }

    static int phaseOf(long mark) {
        return (int) (mark >>> 40);
    }

    static long seqOf(long mark) {
        return mark & ((1L << 40) - 1);
    }

    /** The {@code type} of a frame the node wrote ({@code {"v":1,"type":"…"}}), or "" when not found. */
    static String typeOf(String frame) {
        int at = frame.indexOf("\"type\":\"");
        if (at < 0) {
            return "";
        }
        int start = at + 8;
        int end = frame.indexOf('"', start);
        return end < 0 ? "" : frame.substring(start, end);
    }
}
