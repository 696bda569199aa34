package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * An operator's task, {@code POST /tasks/<name>} on the admin port. It answers JSON by default and plain text
 * with {@code ?format=text}; a missing or invalid parameter is answered with HTTP 400 and a one-line reason
 * before anything is done, a Redis failure with 503 and a one-line reason.
 *
 * @param <R> what the task answers, as a record that Jackson writes
 */
public abstract class AdminTask<R> extends Task {
    private static final Logger LOG = LoggerFactory.getLogger(AdminTask.class);
    static final String JSON = "application/json;charset=UTF-8";
    static final String TEXT = "text/plain;charset=UTF-8";

    private final Set<String> parameters;
    private final ObjectWriter json;
    private final Runnable onRedisFailure;

    /**
     * @param parameters     the parameter names it takes besides {@code format}
     * @param onRedisFailure told when a Redis command failed
     */
    protected AdminTask(String name, Set<String> parameters, ObjectMapper mapper, Runnable onRedisFailure) {
        super(name, JSON);
        this.parameters = Set.copyOf(parameters);
        this.json = mapper.writerWithDefaultPrettyPrinter();
        this.onRedisFailure = onRedisFailure;
    }

    @Override
    public final void execute(Map<String, List<String>> raw, PrintWriter output) throws Exception {
        boolean text;
        R result;
        try {
            TaskParams params = TaskParams.of(getName(), raw, parameters);
            text = params.textFormat();
            result = run(params);
        } catch (TaskArgumentException e) {
            LOG.info("task {} refused: {}", getName(), e.getMessage());
            fail(output, 400, e.getMessage());
            return;
        } catch (JedisException e) {
            onRedisFailure.run();
            LOG.warn("task {} failed on Redis: {}", getName(), e.toString());
            fail(output, 503, "Redis unavailable: " + e.getMessage());
            return;
        }
        if (text) {
            TaskResponseWriter.respond(output, 200, TEXT);
            printText(result, output);
        } else {
            output.println(json.writeValueAsString(result));
        }
    }

    /** Reads and checks every parameter, then does the task's work; throws {@link TaskArgumentException} first. */
    protected abstract R run(TaskParams params);

    /** Writes {@code result} for a person, one item per line. */
    protected abstract void printText(R result, PrintWriter out);

    private static void fail(PrintWriter output, int status, String reason) {
        TaskResponseWriter.respond(output, status, TEXT);
        output.println(reason.replaceAll("[\\r\\n]+", " "));
    }
}
