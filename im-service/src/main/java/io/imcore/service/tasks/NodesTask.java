package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.protocol.NodeLease;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nodes}: every entry of {@code servers} in order, with its state ({@code alive}, {@code dead}: its lease
 * expired, {@code absent}: no entry in {@code nodes}), when it started and was last seen, and its connections;
 * then any {@code nodes} entry that is not in this node's {@code servers} (a node with another configuration).
 */
public final class NodesTask extends AdminTask<NodesTask.Answer> {
    private final ClusterDirectory directory;

    public NodesTask(ClusterDirectory directory, ObjectMapper mapper, Runnable onRedisFailure) {
        super("nodes", Set.of(), mapper, onRedisFailure);
        this.directory = directory;
    }

    @Override
    protected Answer run(TaskParams params) {
        Map<String, NodeLease> leases = new LinkedHashMap<>(directory.leases());
        long now = directory.now();
        // without an allow-list every entry of nodes is listed, sorted, as the members' candidates
        List<String> servers = directory.cluster().servers() == null
                ? leases.keySet().stream().sorted().toList()
                : directory.cluster().servers().entries();
        List<NodeInfo> nodes = new ArrayList<>();
        int alive = 0;
        for (int index = 0; index < servers.size(); index++) {
            NodeInfo node = info(index, servers.get(index), leases.remove(servers.get(index)), now);
            alive += node.state().equals("alive") ? 1 : 0;
            nodes.add(node);
        }
        leases.forEach((entry, lease) -> nodes.add(info(null, entry, lease, now)));
        return new Answer(directory.cluster().self(), servers.size(), alive, nodes);
    }

    private NodeInfo info(Integer index, String entry, NodeLease lease, long now) {
        boolean self = entry.equals(directory.cluster().self());
        if (lease == null) {
            return new NodeInfo(index, entry, self, "absent", null, null, null, 0);
        }
        String state = directory.isAlive(lease) ? "alive" : "dead";
        return new NodeInfo(
                index,
                entry,
                self,
                state,
                lease.startedAt(),
                lease.seenAt(),
                now - lease.seenAt(),
                lease.connections());
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf("nodes: %d of %d alive (this node: %s)%n", answer.alive(), answer.servers(), answer.self());
        for (NodeInfo node : answer.nodes()) {
            String seen = node.seenAgoMs() == null ? "never seen" : "seen " + node.seenAgoMs() + " ms ago";
            out.printf(
                    "%s\t%s\t%s\t%d connection(s)\t%s%s%n",
                    node.index() == null ? "-" : node.index(),
                    node.entry(),
                    node.state(),
                    node.connections(),
                    seen,
                    node.self() ? "\t(self)" : "");
        }
    }

    /**
     * @param index       its index in {@code servers} (its partition), null when it is not listed there
     * @param entry       its entry
     * @param self        it is the node that answers
     * @param state       {@code alive}, {@code dead} (lease expired) or {@code absent} (no {@code nodes} entry)
     * @param startedAt   when it started, epoch ms; null when absent
     * @param seenAt      when it last refreshed its lease, epoch ms; null when absent
     * @param seenAgoMs   milliseconds since then; null when absent
     * @param connections connections it reported in its lease
     */
    public record NodeInfo(
            Integer index,
            String entry,
            boolean self,
            String state,
            Long startedAt,
            Long seenAt,
            Long seenAgoMs,
            long connections) {}

    /**
     * @param self    the answering node
     * @param servers entries in {@code servers}
     * @param alive   of those, alive ones
     * @param nodes   every node
     */
    public record Answer(String self, int servers, int alive, List<NodeInfo> nodes) {}
}
