package io.imcore.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebSocket client on a plain socket that reads only when asked: it does the opening handshake and then
 * leaves the bytes the node sends in the socket, as a terminal that stopped reading does. It also sends
 * frames byte for byte, including malformed ones.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;
    private final String head;

    private RawWebSocket(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.status = Integer.parseInt(head.split(" ", 3)[1]);
        this.head = head;
    }

    /** A frame as read: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame, or -1. */
        public int closeCode() {
            return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }
    }

    /** Opens {@code wsUrl} with a socket receive buffer of {@code receiveBuffer} bytes (0: the system's). */
    public static RawWebSocket open(String wsUrl, int receiveBuffer) {
        return open(wsUrl, receiveBuffer, Map.of());
    }

    /** Opens {@code wsUrl} and reads the node's first frame, asserting it is {@code hello}. */
    public static RawWebSocket openPastHello(String wsUrl) throws IOException {
        RawWebSocket socket = open(wsUrl, 0);
        Frame first = socket.read(Duration.ofSeconds(5));
        if (first == null || !first.text().contains("\"hello\"")) {
            throw new AssertionError("first frame was not hello: " + (first == null ? "end of stream" : first.text()));
        }
        return socket;
    }

    /** Opens {@code wsUrl} sending {@code headers} too; {@link #status()} tells whether the upgrade happened. */
    public static RawWebSocket open(String wsUrl, int receiveBuffer, Map<String, String> headers) {
        URI uri = URI.create(wsUrl);
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(10_000);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", uri.getHost() + ":" + uri.getPort());
            all.put("Upgrade", "websocket");
            all.put("Connection", "Upgrade");
            all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(randomBytes(16)));
            all.put("Sec-WebSocket-Version", "13");
            all.putAll(headers);
            StringBuilder request = new StringBuilder("GET " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n");
            all.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new RawWebSocket(socket, readHead(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + uri.getHost() + ":" + uri.getPort(), e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The HTTP status of the handshake: 101 when upgraded. */
    public int status() {
        return status;
    }

    /** The handshake's response head: status line and headers. */
    public String head() {
        return head;
    }

    /** Sends a masked text frame. */
    public void sendText(String text) {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends one masked frame as a client must. */
    public void sendFrame(int opcode, byte[] payload, boolean fin) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int length = payload.length;
        if (length < 126) {
            frame.write(0x80 | length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write(length >>> 8);
            frame.write(length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift));
            }
        }
        byte[] mask = randomBytes(4);
        frame.writeBytes(mask);
        for (int i = 0; i < length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        sendRaw(frame.toByteArray());
    }

    /** Writes {@code bytes} as they are. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next frame, waiting at most {@code timeout}; null at the end of the stream. */
    public Frame read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int second = readByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = ((long) readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("frame cut short");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return new Frame(first & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    /**
     * Reads on until the close frame and returns its code; -1 when the connection ended without one (reset
     * or end of stream) or {@code timeout} passed between two frames.
     */
    public int drainUntilClose(Duration timeout) {
        try {
            while (true) {
                Frame frame = read(timeout);
                if (frame == null) {
                    return -1;
                }
                if (frame.opcode() == CLOSE) {
                    return frame.closeCode();
                }
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** True when the node dropped the connection: a read ends the stream or fails at once. */
    public boolean isDroppedByPeer() {
        try {
            socket.setSoTimeout(50);
            while (true) {
                if (in.read(new byte[65536]) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
