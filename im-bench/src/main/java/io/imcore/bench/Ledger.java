package io.imcore.bench;

/** Accounts for the messages of one phase as terminals receive them. */
interface Ledger {
    /**
     * A terminal received a frame marked with this phase and {@code seq}.
     *
     * @param slot the receiving terminal's slot among the connected ones
     * @param frame the whole frame, for checks of its type or channel
     * @param nowNanos {@link System#nanoTime()} at receipt
     */
    void received(int slot, long seq, String frame, long nowNanos);
}
