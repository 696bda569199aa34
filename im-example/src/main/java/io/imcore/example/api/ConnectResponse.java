package io.imcore.example.api;

/** Answer of {@code POST /api/pre-connect}: the client id and the one-time WebSocket URL of its node. */
public record ConnectResponse(String clientId, String url) {}
