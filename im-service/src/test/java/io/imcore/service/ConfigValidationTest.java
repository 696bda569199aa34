package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.util.Duration;
import io.imcore.redis.RedisAddress;
import io.imcore.service.config.Cluster;
import io.imcore.service.config.ClusterFactory;
import io.imcore.service.config.RedisFactory;
import io.imcore.testkit.RedisExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;

/**
 * Configuration a user can get wrong: each mistake stops the node with one clear message naming the key, both
 * in the factories ({@link ClusterFactory#build()}, {@link RedisFactory#parsedUri()}) and when the real
 * application starts from a YAML file of {@code src/test/resources/config/}.
 */
class ConfigValidationTest {

    private static ClusterFactory cluster(List<String> servers, String self) {
        ClusterFactory factory = new ClusterFactory();
        factory.setServers(servers);
        factory.setSelf(self);
        return factory;
    }

    @Nested
    class ClusterFactoryBuild {
        @Test
        void aValidClusterIsBuiltAsWritten() {
            ClusterFactory factory = cluster(
                    List.of("127.0.0.1:7001", "ws://im2.example.com:80/", "wss://im3.example.com"),
                    "ws://im2.example.com:80/");
            factory.setLease(Duration.seconds(10));
            factory.setRefreshInterval(Duration.seconds(5));

            Cluster built = factory.build();

            assertThat(built.servers().entries())
                    .containsExactly("127.0.0.1:7001", "ws://im2.example.com:80/", "wss://im3.example.com");
            assertThat(built.self()).isEqualTo("ws://im2.example.com:80/");
            assertThat(built.lease()).isEqualTo(java.time.Duration.ofSeconds(10));
            assertThat(built.refreshInterval()).isEqualTo(java.time.Duration.ofSeconds(5));
        }

        @Test
        void theDefaultsBuild() {
            Cluster built = new ClusterFactory().build();
            assertThat(built.self()).isEqualTo("127.0.0.1:6001");
            assertThat(built.servers()).as("no allow-list").isNull();
            assertThat(built.lease()).isEqualTo(java.time.Duration.ofSeconds(6));
            assertThat(built.refreshInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
            assertThat(built.rebalancePeriod()).isEqualTo(java.time.Duration.ofSeconds(10));
        }

        @Test
        void selfNotInServers() {
            assertThatThrownBy(() -> cluster(List.of("127.0.0.1:7001", "127.0.0.1:7002"), "127.0.0.1:7003")
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cluster.self '127.0.0.1:7003' is not one of cluster.servers "
                            + "[127.0.0.1:7001, 127.0.0.1:7002] (the allow-list; leave it empty to allow any node)");
        }

        @Test
        void selfIsComparedAsWritten() {
            assertThatThrownBy(() ->
                            cluster(List.of("127.0.0.1:7001"), "localhost:7001").build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cluster.self 'localhost:7001' is not one of cluster.servers");
            assertThatThrownBy(() -> cluster(List.of("ws://im.example.com/"), "ws://im.example.com")
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cluster.self 'ws://im.example.com' is not one of cluster.servers");
        }

        @Test
        void missingSelf() {
            assertThatThrownBy(() -> cluster(List.of("127.0.0.1:7001"), null).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cluster.self must be set: the address this node advertises");
        }

        @Test
        void duplicateServers() {
            assertThatThrownBy(() -> cluster(
                                    List.of("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7001"), "127.0.0.1:7001")
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cluster.servers: servers lists '127.0.0.1:7001' twice");
        }

        @Test
        void emptyServersMeanNoAllowList() {
            assertThat(cluster(List.of(), "127.0.0.1:7001").build().servers()).isNull();
            assertThat(cluster(null, "127.0.0.1:7001").build().allowList()).isEmpty();
            assertThatThrownBy(() -> cluster(List.of(), "not an entry").build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cluster.self: ");
        }

        @ParameterizedTest(name = "[{index}] ''{0}''")
        @CsvSource(
                delimiter = '|',
                value = {
                    "im2.example.com          | cluster.servers: servers entry 'im2.example.com' must be host:port or a ws:// or wss:// base URL",
                    "http://im2.example.com   | cluster.servers: servers entry 'http://im2.example.com' must be host:port or a ws:// or wss:// base URL",
                    "127.0.0.1:0              | cluster.servers: servers entry '127.0.0.1:0' has an invalid port 0",
                    "127.0.0.1:65536          | cluster.servers: servers entry '127.0.0.1:65536' has an invalid port 65536",
                    "im2.example.com:80/path  | cluster.servers: servers entry 'im2.example.com:80/path' must be host:port or a ws:// or wss:// base URL",
                    "ws://im2.example.com/?a=b| cluster.servers: servers entry 'ws://im2.example.com/?a=b' must be a ws:// or wss:// base URL with a host and no query",
                    "'   '                    | cluster.servers: a servers entry must not be empty",
                })
        void badEntry(String entry, String message) {
            List<String> servers = new ArrayList<>(List.of("127.0.0.1:7001", entry));
            assertThatThrownBy(() -> cluster(servers, "127.0.0.1:7001").build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        void nullEntry() {
            assertThatThrownBy(() -> cluster(Arrays.asList("127.0.0.1:7001", null), "127.0.0.1:7001")
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cluster.servers: a servers entry must not be empty");
        }

        @Test
        void refreshIntervalOverHalfTheLease() {
            ClusterFactory factory = cluster(List.of("127.0.0.1:7001"), "127.0.0.1:7001");
            factory.setLease(Duration.seconds(15));
            factory.setRefreshInterval(Duration.milliseconds(7501));
            assertThatThrownBy(factory::build)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cluster.refreshInterval (7501 milliseconds) must be at most half of cluster.lease "
                            + "(15 seconds)");
        }

        @Test
        void refreshIntervalOfExactlyHalfTheLeaseIsAllowed() {
            ClusterFactory factory = cluster(List.of("127.0.0.1:7001"), "127.0.0.1:7001");
            factory.setLease(Duration.seconds(15));
            factory.setRefreshInterval(Duration.milliseconds(7500));
            assertThat(factory.build().refreshInterval()).isEqualTo(java.time.Duration.ofMillis(7500));
        }
    }

    @Nested
    class RedisFactoryParsedUri {
        private RedisAddress parse(String uri) {
            RedisFactory factory = new RedisFactory();
            factory.setUri(uri);
            return factory.parsedUri();
        }

        @Test
        void validUris() {
            assertThat(parse("redis://127.0.0.1:6379").host()).isEqualTo("127.0.0.1");
            assertThat(parse("rediss://user:secret@redis.example.com:6380/2").port())
                    .isEqualTo(6380);
            assertThat(parse(new RedisFactory().getUri()).port()).isEqualTo(6379);
        }

        @Test
        void notAUri() {
            assertThatThrownBy(() -> parse("redis://127.0.0.1:6379/ space"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("redis.uri 'redis://127.0.0.1:6379/ space' is not a valid URI");
        }

        @Test
        void httpScheme() {
            assertThatThrownBy(() -> parse("http://127.0.0.1:6379"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "redis.uri 'http://127.0.0.1:6379' must look like redis://host:port or rediss://host:port");
        }

        @ParameterizedTest
        @CsvSource({"localhost:6379", "redis:///0", "127.0.0.1", "''"})
        void noSchemeOrNoHost(String uri) {
            assertThatThrownBy(() -> parse(uri))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("redis.uri '" + uri + "' ");
        }

        @Test
        void maskedUriHidesThePassword() {
            RedisFactory factory = new RedisFactory();
            factory.setUri("rediss://user:secret@redis.example.com:6380/2");
            assertThat(factory.maskedUri())
                    .isEqualTo("rediss://user:****@redis.example.com:6380/2")
                    .doesNotContain("secret");
        }
    }

    /** The real application, started from a YAML file the way {@code server config.yml} would. */
    @Nested
    class ApplicationStart {
        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "self-not-in-servers.yml      | cluster.self '127.0.0.1:7003' is not one of cluster.servers [127.0.0.1:7001, 127.0.0.1:7002] (the allow-list",
                    "self-written-differently.yml | cluster.self 'localhost:7001' is not one of cluster.servers [127.0.0.1:7001]",
                    "duplicate-servers.yml        | cluster.servers: servers lists '127.0.0.1:7001' twice",
                    "bad-server-entry.yml         | cluster.servers: servers entry 'im2.example.com' must be host:port or a ws:// or wss:// base URL",
                    "refresh-over-half-lease.yml  | cluster.refreshInterval (10 seconds) must be at most half of cluster.lease (15 seconds)",
                    "http-redis-uri.yml           | redis.uri 'http://127.0.0.1:6379' must look like redis://host:port or rediss://host:port",
                    "bad-self-entry.yml           | cluster.self: servers entry 'im1.example.com' must be host:port or a ws:// or wss:// base URL",
                    "uri-and-sentinel.yml         | redis: give one of uri, sentinel and cluster, not uri and sentinel",
                    "sentinel-and-cluster.yml     | redis: give one of uri, sentinel and cluster, not sentinel and cluster",
                    "sentinel-without-master-name.yml | redis.sentinel.masterName must not be empty",
                    "cluster-node-as-uri.yml      | redis.cluster.nodes entry 'redis://127.0.0.1:7000' must be host:port",
                    "cluster-wait-timeout-zero.yml | redis.cluster.waitTimeout must be at least 1 ms when redis.cluster.waitReplicas is set",
                    "cluster-wait-replicas-negative.yml | redis.cluster.waitReplicas must be greater than or equal to 0",
                    "lease-too-short.yml          | cluster.lease must be greater than or equal to 1 SECONDS",
                    "unknown-key.yml              | refreshIntervall",
                    "bad-websocket-path.yml       | websocket.path must start with / and hold only URL path characters",
                    "frame-limit-too-small.yml    | websocket.maxFrameSize must be greater than or equal to 128 BYTES",
                    "stream-maxlen-too-small.yml  | streams.maxLen must be greater than or equal to 1000",
                    "pool-wait-zero.yml           | redis.poolWait must be more than 0 (how long a command may wait for a free connection), not 0 seconds",
                    "pool-wait-negative.yml       | redis.poolWait",
                })
        void badConfigStopsTheStartWithOneClearMessage(String file, String message) {
            DropwizardTestSupport<ImServiceConfiguration> app = new DropwizardTestSupport<>(
                    ImServiceApplication.class, ResourceHelpers.resourceFilePath("config/" + file));
            Throwable failure = null;
            try {
                app.before();
            } catch (Throwable e) {
                failure = e;
            } finally {
                app.after();
            }
            assertThat(failure).as("the node started with %s", file).isNotNull();
            assertThat(messages(failure))
                    .as("messages of %s", failure)
                    .anySatisfy(m -> assertThat(m).contains(message));
        }

        private static List<String> messages(Throwable failure) {
            List<String> messages = new ArrayList<>();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.add(String.valueOf(t.getMessage()));
            }
            return messages;
        }
    }

    /** Base URL entries work end to end: the node uses its entry as written in its keys and channel names. */
    @Nested
    class WsUrlServers {
        @RegisterExtension
        static final RedisExtension REDIS = new RedisExtension();

        @Test
        void aNodeWhoseEntryIsABaseUrlStartsAndKeysItsStateByThatEntry() throws Exception {
            DropwizardTestSupport<ImServiceConfiguration> app = new DropwizardTestSupport<>(
                    ImServiceApplication.class,
                    ResourceHelpers.resourceFilePath("config/ws-url-servers.yml"),
                    ConfigOverride.config("redis.uri", REDIS.uri()));
            app.before();
            try (RedisClient redis = REDIS.newJedis()) {
                assertThat(app.getConfiguration().getCluster().build().self()).isEqualTo("ws://127.0.0.1:7001/");
                assertThat(redis.hget("im:nodes", "ws://127.0.0.1:7001/")).contains("\"seenAt\":");
                await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> app.getEnvironment()
                                .healthChecks()
                                .runHealthCheck("redis-subscriber")
                                .isHealthy());
                String inbox = "im:node:ws://127.0.0.1:7001/";
                redis.xadd(
                        inbox,
                        StreamEntryID.NEW_ENTRY,
                        Map.of("e", "{\"v\":1,\"type\":\"kick\",\"clientId\":\"nobody\"}"));
                await("the node reads and trims its inbox")
                        .atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> redis.xlen(inbox) == 0);
            } finally {
                app.after();
            }
            try (RedisClient redis = REDIS.newJedis()) {
                assertThat(redis.hexists("im:nodes", "ws://127.0.0.1:7001/"))
                        .as("removed on a clean stop")
                        .isFalse();
            }
        }
    }
}
