package io.imcore.service.hub;

/** Told when a frame was written to the socket, or could not be. */
public interface WriteCallback {
    /** A callback that ignores both outcomes. */
    WriteCallback NONE = new WriteCallback() {
        @Override
        public void written() {}

        @Override
        public void failed(Throwable cause) {}
    };

    /** The frame was written to the socket. */
    void written();

    /** The frame was not written: the connection closed, or the write failed. */
    void failed(Throwable cause);
}
