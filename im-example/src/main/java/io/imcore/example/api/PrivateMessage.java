package io.imcore.example.api;

/** Body of {@code POST /api/send}: a private message, sent with a receipt. */
public record PrivateMessage(String from, String to, String text) {}
