package io.imcore.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.imcore.protocol.Servers;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code cluster:} section: which nodes may be members and which one this is. */
public class ClusterFactory {
    /**
     * Optional allow-list of node entries ({@code host:port} or ws(s) URL, order irrelevant), identical on every
     * node and in every ImClient: only these can be members. Default empty: any node with an alive lease.
     */
    @NotNull
    private List<String> servers = List.of();

    /** This node's own entry, the address it advertises (in {@code servers} when that is given). */
    @NotNull
    private String self = "127.0.0.1:6001";

    /** A node whose {@code nodes} entry is older than this is dead and no longer a member. Default 6 s. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration lease = Duration.seconds(6);

    /**
     * How often this node refreshes its {@code nodes} entry, reads the membership and looks for dead nodes.
     * At most half the lease. Default 2 s.
     */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration refreshInterval = Duration.seconds(2);

    /**
     * When a node joins, the clients whose home it becomes are closed (1001) by their old node spread over this
     * period, so that they do not all reconnect at once. Default 10 s.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration rebalancePeriod = Duration.seconds(10);

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
    public Duration getRebalancePeriod() {
        return rebalancePeriod;
    }

    @JsonProperty
    public void setRebalancePeriod(Duration rebalancePeriod) {
        this.rebalancePeriod = rebalancePeriod;
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
        if (self == null) {
            throw new IllegalArgumentException("cluster.self must be set: the address this node advertises");
        }
        try {
            Servers.requireValidEntry(self);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.self: " + e.getMessage(), e);
        }
        Servers list = null;
        if (servers != null && !servers.isEmpty()) {
            try {
                list = Servers.of(servers);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cluster.servers: " + e.getMessage(), e);
            }
            if (!list.contains(self)) {
                throw new IllegalArgumentException("cluster.self '" + self + "' is not one of cluster.servers " + list
                        + " (the allow-list; leave it empty to allow any node)");
            }
        }
        if (refreshInterval.toMilliseconds() * 2 > lease.toMilliseconds()) {
            throw new IllegalArgumentException("cluster.refreshInterval (" + refreshInterval
                    + ") must be at most half of cluster.lease (" + lease + ")");
        }
        return new Cluster(
                list,
                self,
                lease.toJavaDuration(),
                refreshInterval.toJavaDuration(),
                rebalancePeriod.toJavaDuration(),
                null);
    }
}
