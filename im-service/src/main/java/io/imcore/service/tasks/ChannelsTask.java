package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code channels}: every channel with a member, sorted by name and paged, with its member and online counts. */
public final class ChannelsTask extends AdminTask<ChannelsTask.Answer> {
    private final ClusterDirectory directory;

    public ChannelsTask(ClusterDirectory directory, ObjectMapper mapper, Runnable onRedisFailure) {
        super("channels", Page.PARAMETERS, mapper, onRedisFailure);
        this.directory = directory;
    }

    @Override
    protected Answer run(TaskParams params) {
        Page page = Page.of(params);
        List<String> all = directory.channels();
        List<String> chans = page.of(all);
        List<Map<String, String>> members = directory.members(chans);
        Set<String> everyone = new HashSet<>();
        members.forEach(m -> everyone.addAll(m.keySet()));
        Set<String> online = directory.onlineAmong(everyone);
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < chans.size(); i++) {
            Set<String> ids = members.get(i).keySet();
            channels.add(new Channel(
                    chans.get(i),
                    ids.size(),
                    ids.stream().filter(online::contains).count()));
        }
        return new Answer(all.size(), page.offset(), page.limit(), channels);
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf("channels: %d (offset %d, limit %d)%n", answer.count(), answer.offset(), answer.limit());
        for (Channel channel : answer.channels()) {
            out.printf("%s\t%d member(s)\t%d online%n", channel.chan(), channel.members(), channel.online());
        }
    }

    /**
     * @param chan    the channel's name
     * @param members its members, online or not
     * @param online  its members online now
     */
    public record Channel(String chan, long members, long online) {}

    /**
     * @param count    channels with a member in all
     * @param offset   of this page
     * @param limit    of this page
     * @param channels this page
     */
    public record Answer(int count, int offset, int limit, List<Channel> channels) {}
}
