package io.imcore.client;

import io.imcore.protocol.PresenceEvent;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A static facade over one {@link ImClient}, named as in the original ImCore: initialize it once at
 * application start, then call it from anywhere.
 *
 * <pre>{@code
 * ImHelper.initialization(ImClientOptions.builder()
 *         .redisUri("redis://127.0.0.1:6379")
 *         .build());                                    // routes over every live node
 * String url = ImHelper.prevConnectServer("42", "");
 * ImHelper.sendMessage("7", List.of("42"), "hello", false);
 * ImHelper.eventBus(e -> log.info("{} online", e.clientId()), e -> log.info("{} offline", e.clientId()));
 * ...
 * ImHelper.close();   // at shutdown
 * }</pre>
 *
 * <p>Every method before {@link #initialization} (or after {@link #close()}) throws
 * {@link IllegalStateException}; otherwise each behaves and throws as the {@link ImClient} method of the same
 * name.
 */
public final class ImHelper {
    private static volatile ImClient client;

    private ImHelper() {}

    /**
     * Creates the shared client for {@code options}; a client made by an earlier call is closed (with its event
     * buses) after the new one replaced it.
     *
     * @throws ImInvalidArgumentException when {@code options} is null
     */
    public static void initialization(ImClientOptions options) {
        ImClient created = ImClient.create(options);
        ImClient previous;
        synchronized (ImHelper.class) {
            previous = client;
            client = created;
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** True between {@link #initialization} and {@link #close()}. */
    public static boolean isInitialized() {
        return client != null;
    }

    /**
     * The shared client.
     *
     * @throws IllegalStateException before {@link #initialization}
     */
    public static ImClient client() {
        ImClient current = client;
        if (current == null) {
            throw new IllegalStateException("ImHelper is not initialized: call ImHelper.initialization(options) first");
        }
        return current;
    }

    /** Closes the shared client and its event buses; ImHelper then needs {@link #initialization} again. */
    public static void close() {
        ImClient previous;
        synchronized (ImHelper.class) {
            previous = client;
            client = null;
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** The same as {@link #close()}. */
    public static void shutdown() {
        close();
    }

    /** See {@link ImClient#prevConnectServer(String, String)}. */
    public static String prevConnectServer(String clientId, String metadata) {
        return client().prevConnectServer(clientId, metadata);
    }

    /** See {@link ImClient#sendMessage(String, Collection, Object, boolean)}. */
    public static String sendMessage(
            String senderClientId, Collection<String> receiverClientIds, Object message, boolean receipt) {
        return client().sendMessage(senderClientId, receiverClientIds, message, receipt);
    }

    /**
     * See {@link ImClient#sendMessageAsync(String, Collection, Object, boolean)}: the future completes with the
     * message id once Redis accepted the message, and fails with the exceptions {@link #sendMessage} throws.
     */
    public static CompletableFuture<String> sendMessageAsync(
            String senderClientId, Collection<String> receiverClientIds, Object message, boolean receipt) {
        return client().sendMessageAsync(senderClientId, receiverClientIds, message, receipt);
    }

    /** See {@link ImClient#getClientListByOnline()}. */
    public static Set<String> getClientListByOnline() {
        return client().getClientListByOnline();
    }

    /** See {@link ImClient#hasOnline(String)}. */
    public static boolean hasOnline(String clientId) {
        return client().hasOnline(clientId);
    }

    /** See {@link ImClient#eventBus(Consumer, Consumer)}; the bus is closed with the shared client. */
    public static EventBus eventBus(Consumer<PresenceEvent> onOnline, Consumer<PresenceEvent> onOffline) {
        return client().eventBus(onOnline, onOffline);
    }

    /** See {@link ImClient#joinChan(String, String)}. */
    public static void joinChan(String clientId, String chan) {
        client().joinChan(clientId, chan);
    }

    /** See {@link ImClient#leaveChan(String, String)}. */
    public static void leaveChan(String clientId, String chan) {
        client().leaveChan(clientId, chan);
    }

    /** See {@link ImClient#getChanClientList(String)}. */
    public static Set<String> getChanClientList(String chan) {
        return client().getChanClientList(chan);
    }

    /** See {@link ImClient#getChanList()}. */
    public static List<ChannelInfo> getChanList() {
        return client().getChanList();
    }

    /** See {@link ImClient#getChanListByClientId(String)}. */
    public static Set<String> getChanListByClientId(String clientId) {
        return client().getChanListByClientId(clientId);
    }

    /** See {@link ImClient#getChanOnline(String)}. */
    public static long getChanOnline(String chan) {
        return client().getChanOnline(chan);
    }

    /** See {@link ImClient#sendChanMessage(String, String, Object)}. */
    public static String sendChanMessage(String senderClientId, String chan, Object message) {
        return client().sendChanMessage(senderClientId, chan, message);
    }

    /** See {@link ImClient#forceOffline(String)}. */
    public static void forceOffline(String clientId) {
        client().forceOffline(clientId);
    }

    /** See {@link ImClient#sendBroadcastMessage(Object)}. */
    public static String sendBroadcastMessage(Object message) {
        return client().sendBroadcastMessage(message);
    }
}
