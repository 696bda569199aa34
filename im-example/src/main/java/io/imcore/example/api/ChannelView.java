package io.imcore.example.api;

/** One channel as the page lists it: its online member count and whether the asking client is a member. */
public record ChannelView(String chan, long online, boolean joined) {}
