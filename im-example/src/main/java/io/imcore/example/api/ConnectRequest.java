package io.imcore.example.api;

/** Body of {@code POST /api/pre-connect}: who is about to open a WebSocket. */
public record ConnectRequest(String clientId) {}
