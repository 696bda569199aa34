package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imcore.protocol.AllEnvelope;
import io.imcore.protocol.Codec;
import io.imcore.protocol.Keys;
import io.imcore.protocol.MessageIds;
import io.imcore.service.broker.Broker;
import java.io.PrintWriter;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code broadcast?message=}: an operator's notice to every connection of every node, as ImHelper's
 * {@code sendBroadcastMessage} sends it: a {@code msg} frame with {@code from} empty and the text as a JSON string.
 */
public final class BroadcastTask extends AdminTask<BroadcastTask.Answer> {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastTask.class);
    static final String MESSAGE = "message";
    /** Longest notice, in UTF-16 code units. */
    static final int MAX_LENGTH = 4096;

    private final Broker broker;
    private final Keys keys;

    public BroadcastTask(Broker broker, Keys keys, ObjectMapper mapper, Runnable onRedisFailure) {
        super("broadcast", Set.of(MESSAGE), mapper, onRedisFailure);
        this.broker = broker;
        this.keys = keys;
    }

    @Override
    protected Answer run(TaskParams params) {
        String message = params.required(MESSAGE);
        if (message.length() > MAX_LENGTH) {
            throw new TaskArgumentException(
                    MESSAGE + " must be at most " + MAX_LENGTH + " characters, was " + message.length());
        }
        if (message.isBlank()) {
            throw new TaskArgumentException(MESSAGE + " must not be blank");
        }
        String id = MessageIds.newId();
        long ts = System.currentTimeMillis();
        broker.publish(keys.broadcast(), Codec.encode(new AllEnvelope(id, "", Codec.toData(message), ts)));
        LOG.info("operator broadcast message {} ({} characters)", id, message.length());
        return new Answer(id, ts);
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf("broadcast %s published%n", answer.id());
    }

    /**
     * @param id the message id, as terminals see it
     * @param ts its {@code ts}, epoch ms
     */
    public record Answer(String id, long ts) {}
}
