package io.imcore.service.node;

/**
 * A connection was upgraded but the node does not take it (shutting down, or a limit reached by a racing
 * connect); the transport closes it with {@link #closeCode()}.
 */
public final class ConnectRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public ConnectRefusedException(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
