package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.imcore.protocol.Servers;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code cluster:} section: which nodes exist and which one this is. */
public class ClusterFactory {
    /** Ordered node entries, identical on every node and business process ({@code host:port} or ws(s) URL). */
    @NotEmpty
    private List<String> servers = List.of("127.0.0.1:6001");

    /** This node's own entry in {@code servers}, compared as written. */
    @NotNull
    private String self = "127.0.0.1:6001";

    /** A node whose {@code nodes} entry is older than this is dead. Default 15 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration lease = Duration.seconds(15);

    /** How often this node refreshes its {@code nodes} entry and looks for dead nodes. Default 5 s. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration refreshInterval = Duration.seconds(5);

    /**
     * Time a clean stop (SIGTERM) spends writing its clients offline and removing its keys after closing
     * every connection with 1001; clients not written by then are left to another node's dead-node sweep.
     * Default 10 s.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration shutdownGracePeriod = Duration.seconds(10);

    @JsonProperty
    public List<String> getServers() {
        return servers;
    }

    @JsonProperty
    public void setServers(List<String> servers) {
        this.servers = servers;
    }

    @JsonProperty
    public String getSelf() {
        return self;
    }

    @JsonProperty
    public void setSelf(String self) {
        this.self = self;
    }

    @JsonProperty
    public Duration getLease() {
        return lease;
    }

    @JsonProperty
    public void setLease(Duration lease) {
        this.lease = lease;
    }

    @JsonProperty
    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    @JsonProperty
    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    @JsonProperty
    public Duration getShutdownGracePeriod() {
        return shutdownGracePeriod;
    }

    @JsonProperty
    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = shutdownGracePeriod;
    }

    /**
     * Checks the section as a whole and returns the cluster it describes.
     *
     * @throws IllegalArgumentException with one clear message when the section cannot work
     */
    public Cluster build() {
        Servers list;
        try {
            list = Servers.of(servers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.servers: " + e.getMessage(), e);
        }
        if (self == null || !list.contains(self)) { // List.copyOf's contains(null) throws NPE
            throw new IllegalArgumentException("cluster.self '" + self + "' is not one of cluster.servers " + list);
        }
        if (refreshInterval.toMilliseconds() * 2 > lease.toMilliseconds()) {
            throw new IllegalArgumentException("cluster.refreshInterval (" + refreshInterval
                    + ") must be at most half of cluster.lease (" + lease + ")");
        }
        return new Cluster(list, self, lease.toJavaDuration(), refreshInterval.toJavaDuration());
    }
}
