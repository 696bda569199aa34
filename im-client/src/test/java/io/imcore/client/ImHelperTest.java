package io.imcore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imcore.testkit.RedisExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

class ImHelperTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    @AfterEach
    void tearDown() {
        ImHelper.close();
    }

    private static ImClientOptions options() {
        return ImClientOptions.builder()
                .redisUri(REDIS.uri())
                .servers(List.of("127.0.0.1:6001"))
                .build();
    }

    @Test
    void everyMethodBeforeInitializationThrowsIllegalState() {
        assertThat(ImHelper.isInitialized()).isFalse();
        assertThatThrownBy(() -> ImHelper.prevConnectServer("1", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ImHelper.initialization");
        assertThatThrownBy(() -> ImHelper.sendMessage("1", List.of("2"), "x", false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ImHelper.sendMessageAsync("1", List.of("2"), "x", false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ImHelper::getClientListByOnline).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ImHelper.eventBus(e -> {}, null)).isInstanceOf(IllegalStateException.class);
        ImHelper.close(); // harmless
    }

    @Test
    void initializationMakesTheFacadeWorkAndReplacesTheClient() {
        ImHelper.initialization(options());
        ImClient first = ImHelper.client();

        ImHelper.joinChan("1", "room");

        assertThat(ImHelper.getChanClientList("room")).containsExactly("1");
        assertThat(ImHelper.getChanListByClientId("1")).containsExactly("room");
        assertThat(ImHelper.getChanList()).containsExactly(new ChannelInfo("room", 0));
        assertThat(ImHelper.getChanOnline("room")).isZero();
        assertThat(ImHelper.hasOnline("1")).isFalse();
        assertThat(ImHelper.prevConnectServer("1", "")).startsWith("ws://127.0.0.1:6001/ws?token=");

        ImHelper.initialization(options());

        assertThat(first.isClosed()).isTrue();
        assertThat(ImHelper.client()).isNotSameAs(first);
        ImHelper.leaveChan("1", "room");
        assertThat(ImHelper.getChanClientList("room")).isEmpty();

        ImHelper.shutdown();

        assertThat(ImHelper.isInitialized()).isFalse();
        assertThatThrownBy(() -> ImHelper.forceOffline("1")).isInstanceOf(IllegalStateException.class);
        try (RedisClient redis = REDIS.newJedis()) {
            redis.flushAll();
        }
    }
}
