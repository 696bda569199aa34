package io.imcore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.imcore.service.support.NodeCluster;
import io.imcore.service.support.UniqueIds;
import io.imcore.testkit.TestTerminal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connect storm on a node whose Redis pool is tiny (2 connections, {@code redis.poolWait} at its default 5 s):
 * every upgrade waits its turn for a connection (the pool is fair) and none is refused for want of one.
 */
class ConnectStormIntegrationTest {
    static final int TERMINALS = 300;

    @RegisterExtension
    static final NodeCluster CLUSTER = NodeCluster.singleNode().override("redis.maxConnections", "2");

    @Test
    void hundredsOfTerminalsConnectingAtOnceThroughTwoPooledConnectionsAllGetTheirHello() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < TERMINALS; i++) {
            urls.add(CLUSTER.client().prevConnectServer(UniqueIds.of("storm" + i), ""));
        }
        List<TestTerminal> connected = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String url : urls) {
                done.add(pool.submit(() -> {
                    try {
                        start.await();
                        connected.add(TestTerminal.connectReady(url));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            start.countDown();
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
            System.out.printf(
                    "%d terminals connected through 2 pooled connections in %d ms%n",
                    connected.size(), (System.nanoTime() - started) / 1_000_000);

            assertThat(failures).as("connects that failed").isEmpty();
            assertThat(connected).hasSize(TERMINALS);
            assertThat(CLUSTER.admin().metric("im.upgrades.refused.redis-pool-exhausted"))
                    .isZero();
            assertThat(CLUSTER.admin().metric("im.upgrades.refused.redis-unreachable"))
                    .isZero();
            assertThat(CLUSTER.admin().metric("im.redis.commands.failed")).isZero();
        } finally {
            pool.shutdownNow();
            connected.forEach(TestTerminal::close);
        }
    }
}
