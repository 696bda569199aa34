package io.imcore.client;

/**
 * A channel and how many of its members are online, as returned by {@link ImClient#getChanList()}.
 *
 * @param chan   the channel name
 * @param online the number of members that are online (PROTOCOL.md section 4)
 */
public record ChannelInfo(String chan, long online) {}
