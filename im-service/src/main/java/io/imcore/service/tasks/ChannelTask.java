package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.redis.ClusterReader;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code channel?name=}: the channel's members, sorted by id and paged, each with whether it is online. */
public final class ChannelTask extends AdminTask<ChannelTask.Answer> {
    static final String NAME = "name";

    private final ClusterDirectory directory;

    public ChannelTask(ClusterDirectory directory, ObjectMapper mapper, Runnable onRedisFailure) {
        super("channel", Page.parametersAnd(NAME), mapper, onRedisFailure);
        this.directory = directory;
    }

    @Override
    protected Answer run(TaskParams params) {
        String chan = params.channel(NAME);
        Page page = Page.of(params);
        Map<String, String> joined = directory.members(List.of(chan)).get(0);
        Set<String> online = directory.onlineAmong(joined.keySet());
        List<String> ids = joined.keySet().stream().sorted().toList();
        List<Member> members = new ArrayList<>();
        for (String clientId : page.of(ids)) {
            members.add(new Member(clientId, ClusterReader.count(joined.get(clientId)), online.contains(clientId)));
        }
        return new Answer(chan, ids.size(), online.size(), page.offset(), page.limit(), members);
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf(
                "channel: %s, %d member(s), %d online (offset %d, limit %d)%n",
                answer.chan(), answer.count(), answer.online(), answer.offset(), answer.limit());
        for (Member member : answer.members()) {
            out.printf(
                    "%s\t%s\tjoined %s%n",
                    member.clientId(), member.online() ? "online" : "offline", Instant.ofEpochMilli(member.joinedAt()));
        }
    }

    /**
     * @param clientId the member
     * @param joinedAt when it joined, epoch ms
     * @param online   it is online now
     */
    public record Member(String clientId, long joinedAt, boolean online) {}

    /**
     * @param chan    the channel asked about
     * @param count   its members in all
     * @param online  its members online now
     * @param offset  of this page
     * @param limit   of this page
     * @param members this page
     */
    public record Answer(String chan, int count, int online, int offset, int limit, List<Member> members) {}
}
