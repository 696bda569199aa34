package io.imcore.service;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;
import io.imcore.protocol.Keys;
import io.imcore.redis.RedisConnections;
import io.imcore.redis.ReplicaAck;
import io.imcore.service.auth.TokenStore;
import io.imcore.service.broker.FeedTrimmer;
import io.imcore.service.broker.NodeReader;
import io.imcore.service.broker.RedisBroker;
import io.imcore.service.config.Cluster;
import io.imcore.service.config.ServerDefaults;
import io.imcore.service.config.StreamsFactory;
import io.imcore.service.health.ClusterHealthCheck;
import io.imcore.service.health.ReaderHealthCheck;
import io.imcore.service.health.RedisHealthCheck;
import io.imcore.service.hub.Hub;
import io.imcore.service.hub.Timers;
import io.imcore.service.lifecycle.Drainer;
import io.imcore.service.lifecycle.ShutdownOnStop;
import io.imcore.service.lifecycle.SignalStop;
import io.imcore.service.metrics.ClusterMetrics;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.metrics.PrometheusEndpoint;
import io.imcore.service.node.Heartbeat;
import io.imcore.service.node.Node;
import io.imcore.service.node.NodeSettings;
import io.imcore.service.node.Rebalancer;
import io.imcore.service.presence.ClusterView;
import io.imcore.service.presence.LeaseKeeper;
import io.imcore.service.presence.RedisPresence;
import io.imcore.service.routing.Delivery;
import io.imcore.service.routing.Forwarder;
import io.imcore.service.tasks.AdminTasks;
import io.imcore.service.tasks.ClusterDirectory;
import io.imcore.service.tasks.MembershipTask;
import io.imcore.service.websocket.WebSocketEndpointInstaller;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import redis.clients.jedis.UnifiedJedis;

/** The push node: {@code java -jar im-service.jar server config.yml}. */
public class ImServiceApplication extends Application<ImServiceConfiguration> {

    private final boolean stopOnSigterm;

    /** The application as tests embed it: SIGTERM and SIGINT are left to the JVM. */
    public ImServiceApplication() {
        this(false);
    }

    /** @param stopOnSigterm handle SIGTERM and SIGINT as a clean stop that exits 0 (a process of its own) */
    ImServiceApplication(boolean stopOnSigterm) {
        this.stopOnSigterm = stopOnSigterm;
    }

    public static void main(String[] args) throws Exception {
        new ImServiceApplication(true).run(args);
    }

    @Override
    public String getName() {
        return "im-service";
    }

    @Override
    public void run(ImServiceConfiguration config, Environment environment) {
        Cluster cluster = config.getCluster().build();
        Keys keys = config.getRedis().keys();
        NodeSettings settings = config.nodeSettings();
        UnifiedJedis redis = config.getRedis().build(environment);
        ServerDefaults.apply(config.getServerFactory());
        // the node has no REST resources: its only application endpoint is the WebSocket servlet
        environment.jersey().disable();
        ScheduledExecutorService scheduler = environment
                .lifecycle()
                .scheduledExecutorService("im-scheduler")
                .threads(1)
                .build();

        Hub hub = new Hub();
        NodeMetrics metrics = new NodeMetrics(environment.metrics(), hub);
        StreamsFactory streams = config.getStreams();
        RedisConnections connections = config.getRedis().connections();
        ReplicaAck replicaAck = config.getRedis().replicaAck();
        RedisPresence presence = new RedisPresence(
                redis,
                keys,
                cluster.self(),
                streams.getMaxLen(),
                replicaAck,
                environment.metrics().counter("im.redis.publish.unacknowledged"));
        Node node = new Node(cluster, hub, presence, settings, metrics, Timers.of(scheduler));
        ClusterView view = cluster.view();
        LeaseKeeper leases = new LeaseKeeper(
                presence,
                cluster,
                settings.keepOnDisconnect(),
                node,
                scheduler,
                hub::connectionCount,
                view,
                metrics::redisFailure,
                environment.metrics().counter("im.cluster.sweeps"),
                environment.metrics().counter("im.cluster.self.heals"));
        RedisBroker broker = new RedisBroker(redis, streams.getMaxLen(), replicaAck, environment.metrics());
        NodeReader reader = new NodeReader(
                connections::newReaderConnection,
                connections::readerGroupOf,
                keys.inbox(cluster.self()),
                keys.broadcast(),
                streams.reading(config.getRedis().getSocketTimeout().toJavaDuration()),
                new Delivery(
                        node,
                        broker,
                        keys,
                        metrics,
                        new Forwarder(
                                presence,
                                broker,
                                keys,
                                cluster,
                                environment.metrics().counter("im.envelopes.forwarded"))),
                environment.metrics(),
                leases::resync);
        Drainer drainer = new Drainer(node, leases::leave, leases::beginLeaving);
        new Rebalancer(node, scheduler, environment.metrics().counter("im.clients.moved.out")).install();
        view.onChange((before, after) ->
                environment.metrics().counter("im.membership.changes").inc());

        environment.lifecycle().manage(broker);
        // the lease keeper first: its start sweeps what an earlier run left, the unread inbox included
        environment.lifecycle().manage(leases);
        environment.lifecycle().manage(reader);
        environment
                .lifecycle()
                .manage(new FeedTrimmer(
                        redis,
                        List.of(keys.broadcast(), keys.events()),
                        streams.getMaxAge().toJavaDuration(),
                        cluster.refreshInterval(),
                        scheduler));
        environment.lifecycle().manage(drainer);
        environment.lifecycle().manage(new Heartbeat(hub, settings.heartbeat(), scheduler));
        environment.lifecycle().addEventListener(new ShutdownOnStop(node, leases::beginLeaving));
        if (stopOnSigterm) {
            environment
                    .lifecycle()
                    .addServerLifecycleListener(server -> SignalStop.install(
                            server,
                            settings.shutdownGracePeriod()
                                    .plusMillis(server.getStopTimeout())
                                    .plusSeconds(5)));
        }

        WebSocketEndpointInstaller.install(
                environment,
                config.getWebsocket(),
                node,
                new TokenStore(redis, keys),
                metrics,
                config.getRedis().getPoolWait().toJavaDuration());
        environment.healthChecks().register("redis", new RedisHealthCheck(redis));
        environment
                .healthChecks()
                .register(
                        "redis-subscriber",
                        new ReaderHealthCheck(
                                reader,
                                streams.getMaxLag().toJavaDuration(),
                                streams.getGapHealthWindow().toJavaDuration()));
        environment
                .healthChecks()
                .register(
                        "cluster", new ClusterHealthCheck(cluster, leases::lastRefreshAt, view, node::isShuttingDown));
        ClusterMetrics.register(environment.metrics(), cluster, view);
        PrometheusEndpoint.install(environment);
        AdminTasks.install(
                environment, new ClusterDirectory(redis, keys, cluster), broker, keys, drainer, metrics::redisFailure);
        environment
                .admin()
                .addTask(
                        new MembershipTask(cluster, redis, keys, environment.getObjectMapper(), metrics::redisFailure));
    }
}
