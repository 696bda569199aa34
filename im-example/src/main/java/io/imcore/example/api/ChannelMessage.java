package io.imcore.example.api;

/** Body of {@code POST /api/send-channel}: a group message. */
public record ChannelMessage(String from, String chan, String text) {}
