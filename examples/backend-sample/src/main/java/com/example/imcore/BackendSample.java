package com.example.imcore;

import io.imcore.client.EventBus;
import io.imcore.client.ImClientOptions;
import io.imcore.client.ImHelper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A business backend in one file: it hands a terminal its connect URL, waits until that terminal is online and
 * pushes it a message. Arguments: the receiver's client id (default {@code bob}), the nodes' Redis URI (default
 * {@code redis://127.0.0.1:6380}, the first-run node's embedded Redis), the nodes' servers, comma-separated
 * (default {@code 127.0.0.1:6001}).
 */
public final class BackendSample {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSample.class);

    public static void main(String[] args) throws InterruptedException {
        String receiver = args.length > 0 ? args[0] : "bob";
        ImHelper.initialization(ImClientOptions.builder()
                .redisUri(args.length > 1 ? args[1] : "redis://127.0.0.1:6380")            // the nodes' redis.uri
                .servers(List.of((args.length > 2 ? args[2] : "127.0.0.1:6001").split(",")))  // cluster.servers
                .build());
        CountDownLatch receiverOnline = new CountDownLatch(1);
        try (EventBus events = ImHelper.eventBus(
                e -> {
                    LOG.info("{} is online (metadata '{}')", e.clientId(), e.metadata());
                    if (e.clientId().equals(receiver)) {
                        receiverOnline.countDown();
                    }
                },
                e -> LOG.info("{} is offline ({})", e.clientId(), e.reason()))) {
            if (!events.awaitSubscribed(Duration.ofSeconds(5))) {  // events published before this are not seen
                throw new IllegalStateException("no Redis at the given URI?");
            }
            // what your endpoint answers a terminal before it connects: a one-time URL (the token lives 30 s)
            String wsUrl = ImHelper.prevConnectServer(receiver, "web");
            LOG.info("a terminal of {} may connect to {} (or sign in as {} in the demo chat)", receiver, wsUrl,
                    receiver);
            if (!ImHelper.hasOnline(receiver) && !receiverOnline.await(2, TimeUnit.MINUTES)) {
                LOG.warn("{} did not come online", receiver);
                return;
            }
            // "" as the sender: a system message; a user's id as sender (and true) asks for a receipt
            String msgId = ImHelper.sendMessage("", List.of(receiver),
                    Map.of("kind", "text", "text", "Hello from the backend sample"), false);
            LOG.info("sent message {} to {}", msgId, receiver);
        } finally {
            ImHelper.close();  // closes the Redis pool and every event bus still open
        }
    }
}
