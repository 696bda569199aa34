package io.imcore.service.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame encoded to UTF-8 once, so a frame written to many connections (a channel message, a broadcast)
 * is encoded once and every connection writes the same bytes.
 */
public final class TextFrame {
    private static final byte[] SEQ_FIELD = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);

    /** The text, or null for a frame made by {@link #withSeq} or {@link #ofUtf8} (decoded on demand). */
    private final String text;

    private final byte[] utf8;

    private TextFrame(String text, byte[] utf8) {
        this.text = text;
        this.utf8 = utf8;
    }

    public static TextFrame of(String text) {
        return new TextFrame(text, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame already encoded as UTF-8 (its text is decoded on demand); the array must not change after. */
    public static TextFrame ofUtf8(byte[] utf8) {
        return new TextFrame(null, utf8);
    }

    /**
     * This frame, a JSON object, with {@code "seq":seq} added as its last field: the bytes are copied once, not
     * encoded again, so a frame for many clients is encoded once and numbered per client.
     */
    public TextFrame withSeq(long seq) {
        byte[] number = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        int head = utf8.length - 1; // without the closing brace
        byte[] out = new byte[head + SEQ_FIELD.length + number.length + 1];
        System.arraycopy(utf8, 0, out, 0, head);
        System.arraycopy(SEQ_FIELD, 0, out, head, SEQ_FIELD.length);
        System.arraycopy(number, 0, out, head + SEQ_FIELD.length, number.length);
        out[out.length - 1] = '}';
        return new TextFrame(null, out);
    }

    public String text() {
        return text != null ? text : new String(utf8, StandardCharsets.UTF_8);
    }

    /** Length in bytes, as written. */
    public int length() {
        return utf8.length;
    }

    /**
     * A new buffer over the shared bytes, for one write (a write moves its buffer's position). Writers only read
     * it; it is not read-only because heap buffers with an array take the transports' faster copy paths.
     */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(utf8);
    }

    @Override
    public String toString() {
        return text();
    }
}
