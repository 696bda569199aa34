package io.imcore.service.metrics;

import io.imcore.service.hub.FrameSink;
import io.imcore.service.hub.TextFrame;
import io.imcore.service.hub.WriteCallback;

/**
 * Counts every text frame written to a connection in {@code im.frames.written}, whatever it is
 * ({@code hello}, messages, receipts, {@code pong}, {@code error}), by wrapping the transport's sink.
 */
public final class CountingFrameSink implements FrameSink {
    private final FrameSink sink;
    private final NodeMetrics metrics;

    public CountingFrameSink(FrameSink sink, NodeMetrics metrics) {
        this.sink = sink;
        this.metrics = metrics;
    }

    @Override
    public void sendText(TextFrame frame, WriteCallback callback) {
        sink.sendText(frame, new WriteCallback() {
            @Override
            public void written() {
                metrics.frameWritten();
                callback.written();
            }

            @Override
            public void failed(Throwable cause) {
                callback.failed(cause);
            }
        });
    }

    @Override
    public void ping() {
        sink.ping();
    }

    @Override
    public void close(int code, String reason) {
        sink.close(code, reason);
    }
}
