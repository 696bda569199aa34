package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.imcore.service.lifecycle.DrainStatus;
import io.imcore.service.lifecycle.Drainer;
import java.io.PrintWriter;
import java.util.Set;

/**
 * {@code drain?period=}: prepares this node for a restart. It refuses new connections from now on (503), closes
 * its clients with 1001 spread over {@code period} (default 10 s, at most 1 h) so their terminals reconnect after
 * the restart, publishes their {@code offline} events and then removes its keys. It answers at once; calling it
 * again changes nothing and shows the progress.
 */
public final class DrainTask extends AdminTask<DrainTask.Answer> {
    static final String PERIOD = "period";
    static final Duration DEFAULT_PERIOD = Duration.seconds(10);
    static final Duration MAX_PERIOD = Duration.hours(1);

    private final Drainer drainer;
    private final String self;

    public DrainTask(Drainer drainer, String self, ObjectMapper mapper, Runnable onRedisFailure) {
        super("drain", Set.of(PERIOD), mapper, onRedisFailure);
        this.drainer = drainer;
        this.self = self;
    }

    @Override
    protected Answer run(TaskParams params) {
        java.time.Duration period = params.duration(PERIOD, DEFAULT_PERIOD, Duration.seconds(0), MAX_PERIOD);
        boolean already = drainer.status() != null;
        DrainStatus status = drainer.start(period);
        return new Answer(
                self,
                status.isFinished() ? "drained" : "draining",
                already,
                status.startedAt(),
                status.period().toMillis(),
                status.clients(),
                status.connections(),
                status.closed());
    }

    @Override
    protected void printText(Answer answer, PrintWriter out) {
        out.printf(
                "%s %s%s: %d of %d client(s) closed (%d connection(s) at start), spread over %d ms%n",
                answer.node(),
                answer.state(),
                answer.alreadyDraining() ? " (drain asked before)" : "",
                answer.closed(),
                answer.clients(),
                answer.connections(),
                answer.periodMs());
    }

    /**
     * @param node            this node's entry
     * @param state           {@code draining} or {@code drained} (every client closed, keys removed)
     * @param alreadyDraining a drain was asked before; this call changed nothing
     * @param startedAt       when the drain started, epoch ms
     * @param periodMs        the period the closes are spread over
     * @param clients         clients when it started
     * @param connections     connections when it started
     * @param closed          clients closed so far
     */
    public record Answer(
            String node,
            String state,
            boolean alreadyDraining,
            long startedAt,
            long periodMs,
            int clients,
            int connections,
            int closed) {}
}
