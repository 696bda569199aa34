package io.imcore.service.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame encoded to UTF-8 once, so a frame written to many connections (a channel message, a broadcast)
 * is encoded once and every connection writes the same bytes.
 */
public final class TextFrame {
    private final String text;
    private final byte[] utf8;

    private TextFrame(String text) {
        this.text = text;
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    public static TextFrame of(String text) {
        return new TextFrame(text);
    }

    public String text() {
        return text;
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
        return text;
    }
}
