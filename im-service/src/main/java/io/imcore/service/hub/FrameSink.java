package io.imcore.service.hub;

/** The transport's side of a connection: what a {@link Session} needs to write to its socket. */
public interface FrameSink {
    /** Writes a text frame asynchronously and reports the outcome to {@code callback}. */
    void sendText(TextFrame frame, WriteCallback callback);

    /** Sends a WebSocket ping control frame. */
    void ping();

    /** Closes the connection with {@code code} and {@code reason}. */
    void close(int code, String reason);
}
