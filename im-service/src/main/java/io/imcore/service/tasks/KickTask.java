package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.KickEnvelope;
import io.imcore.service.broker.Broker;
import java.io.PrintWriter;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kick?id=}: closes every connection of the client with 1008, on whichever node holds it, by publishing
 * the same {@code kick} envelope as ImHelper's {@code forceOffline} to its node's inbox.
 */
public final class KickTask extends AdminTask<KickTask.Answer> {
    private static final Logger LOG = LoggerFactory.getLogger(KickTask.class);
    static final String ID = "id";

    private final ClusterDirectory directory;
    private final Broker broker;
    private final Keys keys;

    public KickTask(
            ClusterDirectory directory, Broker broker, Keys keys, ObjectMapper mapper, Runnable onRedisFailure) {
        super("kick", Set.of(ID), mapper, onRedisFailure);
        this.directory = directory;
        this.broker = broker;
        this.keys = keys;
    }

    @Override
    protected Answer run(TaskParams params) {
        String clientId = params.clientId(ID);
        String node = directory.cluster().home(clientId);
        long connections = directory.connections(clientId);
        broker.publish(keys.inbox(node), Codec.encode(new KickEnvelope(clientId)));
        LOG.info("operator kicked client={} node={} connections={}", clientId, node, connections);
        return new Answer(clientId, node, connections);
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf(
                "kick of %s sent to %s (%d connection(s) online)%n",
                answer.clientId(), answer.node(), answer.connections());
    }

    /**
     * @param clientId    the client kicked
     * @param node        the node the kick went to
     * @param connections its connections there before the kick (0: it was offline, nothing to close)
     */
    public record Answer(String clientId, String node, long connections) {}
}
