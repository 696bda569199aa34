package io.imcore.service.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.imcore.protocol.Keys;
import io.imcore.service.broker.Broker;
import io.imcore.service.lifecycle.Drainer;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/** Registers the operators' tasks on the admin port ({@code POST /tasks/<name>}); the README lists them. */
public final class AdminTasks {
    private AdminTasks() {}

    /**
     * @param onRedisFailure told when a task's Redis command failed
     */
    public static void install(
            Environment environment,
            ClusterDirectory directory,
            Broker broker,
            Keys keys,
            Drainer drainer,
            Runnable onRedisFailure) {
        environment
                .admin()
                .addFilter("im-task-origin", new TaskOriginFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");
        environment
                .admin()
                .addFilter("im-task-response", new TaskResponseFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");
        ObjectMapper mapper = environment.getObjectMapper();
        environment.admin().addTask(new OnlineClientsTask(directory, mapper, onRedisFailure));
        environment.admin().addTask(new ClientTask(directory, mapper, onRedisFailure));
        environment.admin().addTask(new ChannelsTask(directory, mapper, onRedisFailure));
        environment.admin().addTask(new ChannelTask(directory, mapper, onRedisFailure));
        environment.admin().addTask(new NodesTask(directory, mapper, onRedisFailure));
        environment.admin().addTask(new KickTask(directory, broker, keys, mapper, onRedisFailure));
        environment.admin().addTask(new BroadcastTask(broker, keys, mapper, onRedisFailure));
        environment.admin().addTask(new DrainTask(drainer, directory.cluster().self(), mapper, onRedisFailure));
    }
}
