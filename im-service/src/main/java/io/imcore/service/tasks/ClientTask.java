package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/** {@code client?id=}: whether the client is online, its node, its connections there and its channels. */
public final class ClientTask extends AdminTask<ClientTask.Answer> {
    static final String ID = "id";

    private final ClusterDirectory directory;

    public ClientTask(ClusterDirectory directory, ObjectMapper mapper, Runnable onRedisFailure) {
        super("client", Set.of(ID), mapper, onRedisFailure);
        this.directory = directory;
    }

    @Override
    protected Answer run(TaskParams params) {
        String clientId = params.clientId(ID);
        String node = directory.cluster().home(clientId);
        boolean nodeAlive = directory.aliveNodes().contains(node);
        long connections = directory.connections(clientId);
        return new Answer(clientId, connections > 0, node, nodeAlive, connections, directory.channelsOf(clientId));
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf("client: %s%n", answer.clientId());
        out.printf("online: %s%n", answer.online());
        out.printf("node: %s (%s)%n", answer.node(), answer.nodeAlive() ? "alive" : "down");
        out.printf("connections: %d%n", answer.connections());
        out.printf("channels: %s%n", String.join(", ", answer.channels()));
    }

    /**
     * @param clientId    the client asked about
     * @param online      it has a connection on its node, which is alive
     * @param node        its partition's node entry
     * @param nodeAlive   that node's lease is alive
     * @param connections its connections there
     * @param channels    the channels it is a member of, online or not
     */
    public record Answer(
            String clientId, boolean online, String node, boolean nodeAlive, long connections, List<String> channels) {}
}
