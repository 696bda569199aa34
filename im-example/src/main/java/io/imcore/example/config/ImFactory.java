package io.imcore.example.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.imcore.client.ImClientOptions;
import io.imcore.client.ImHelper;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code im:} section: how this business app reaches the push nodes, i.e. the {@link ImClientOptions}
 * that {@link ImHelper} is initialized with. The defaults match the top-level {@code config.yml} of a node.
 */
public class ImFactory {
    /** The Redis every node uses. Default redis://127.0.0.1:6380 (the node's embedded Redis in config.yml). */
    @NotNull
    private String redisUri = "redis://127.0.0.1:6380";

    /**
     * The nodes' {@code cluster.servers} allow-list, the same entries (order irrelevant); empty: any live node.
     * Default ["127.0.0.1:6001"], as the top-level config.yml.
     */
    @NotNull
    private List<String> servers = List.of("127.0.0.1:6001");

    /** The nodes' {@code redis.keyPrefix}. Default {@code im:}. */
    @NotNull
    private String keyPrefix = "im:";

    /** How long a connect token from pre-connect stays valid. Default 30 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration tokenTtl = Duration.seconds(30);

    /** The nodes' {@code cluster.lease}. Default 6 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration nodeLease = Duration.seconds(6);

    @JsonProperty
    public String getRedisUri() {
        return redisUri;
    }

    @JsonProperty
    public void setRedisUri(String redisUri) {
        this.redisUri = redisUri;
    }

    @JsonProperty
    public List<String> getServers() {
        return servers;
    }

    @JsonProperty
    public void setServers(List<String> servers) {
        this.servers = servers;
    }

    @JsonProperty
    public String getKeyPrefix() {
        return keyPrefix;
    }

    @JsonProperty
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    @JsonProperty
    public Duration getTokenTtl() {
        return tokenTtl;
    }

    @JsonProperty
    public void setTokenTtl(Duration tokenTtl) {
        this.tokenTtl = tokenTtl;
    }

    @JsonProperty
    public Duration getNodeLease() {
        return nodeLease;
    }

    @JsonProperty
    public void setNodeLease(Duration nodeLease) {
        this.nodeLease = nodeLease;
    }

    /** The client options this section describes (checked by the builder). */
    public ImClientOptions options() {
        return ImClientOptions.builder()
                .redisUri(redisUri)
                .servers(servers)
                .keyPrefix(keyPrefix)
                .tokenTtl(tokenTtl.toJavaDuration())
                .nodeLease(nodeLease.toJavaDuration())
                .build();
    }

    /** Initializes {@link ImHelper} (it connects lazily) and registers its closing with the lifecycle. */
    public void build(Environment environment) {
        ImHelper.initialization(options());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                ImHelper.close();
            }
        });
    }
}
