package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.redis.ClusterReader.OnlineClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/**
 * {@code online-clients}: how many clients are online in the cluster and which, sorted by id and paged
 * ({@code offset}, {@code limit}); {@code node=<entry>} keeps one node's clients.
 */
public final class OnlineClientsTask extends AdminTask<OnlineClientsTask.Answer> {
    static final String NODE = "node";
    private static final Set<String> PARAMETERS = Page.parametersAnd(NODE);

    private final ClusterDirectory directory;

    public OnlineClientsTask(ClusterDirectory directory, ObjectMapper mapper, Runnable onRedisFailure) {
        super("online-clients", PARAMETERS, mapper, onRedisFailure);
        this.directory = directory;
    }

    @Override
    protected Answer run(TaskParams params) {
        Page page = Page.of(params);
        String node = params.serverEntry(NODE, directory.cluster().servers());
        List<OnlineClient> online = directory.onlineClients(node == null ? directory.aliveNodes() : List.of(node));
        return new Answer(online.size(), page.offset(), page.limit(), page.of(online));
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf("online clients: %d (offset %d, limit %d)%n", answer.count(), answer.offset(), answer.limit());
        for (OnlineClient client : answer.clients()) {
            out.printf("%s\t%s\t%d connection(s)%n", client.clientId(), client.node(), client.connections());
        }
    }

    /**
     * @param count   online clients in all
     * @param offset  of this page
     * @param limit   of this page
     * @param clients this page
     */
    public record Answer(int count, int offset, int limit, List<OnlineClient> clients) {}
}
