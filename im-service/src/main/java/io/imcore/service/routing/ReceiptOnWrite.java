package io.imcore.service.routing;

import io.imcore.protocol.ReceiptStatus;
import io.imcore.service.hub.WriteCallback;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Decides one receipt for one receiver with several connections: {@code delivered} as soon as the frame was
 * written to one of them, {@code offline} when every write failed.
 */
final class ReceiptOnWrite implements WriteCallback {
    private final AtomicInteger pending;
    private final AtomicBoolean decided = new AtomicBoolean();
    private final Consumer<ReceiptStatus> receipt;

    ReceiptOnWrite(int connections, Consumer<ReceiptStatus> receipt) {
        this.pending = new AtomicInteger(connections);
        this.receipt = receipt;
    }

    @Override
    public void written() {
        pending.decrementAndGet();
        if (decided.compareAndSet(false, true)) {
            receipt.accept(ReceiptStatus.DELIVERED);
        }
    }

    @Override
    public void failed(Throwable cause) {
        if (pending.decrementAndGet() == 0 && decided.compareAndSet(false, true)) {
            receipt.accept(ReceiptStatus.OFFLINE);
        }
    }
}
