package io.imcore.example.api;

/** Answer of the send endpoints: the message id (receipts name it). */
public record Sent(String id) {}
