package io.imcore.example.api;

/** Body of {@code POST /api/join} and {@code POST /api/leave}. */
public record ChannelRequest(String clientId, String chan) {}
