package io.imcore.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The admin connector's bind address: loopback by default, a warning when configured elsewhere. */
class ServerDefaultsTest {

    @Test
    void loopbackAddressesAndNames() {
        assertThat(ServerDefaults.isLoopback("127.0.0.1")).isTrue();
        assertThat(ServerDefaults.isLoopback("127.0.0.2")).isTrue();
        assertThat(ServerDefaults.isLoopback("::1")).isTrue();
        assertThat(ServerDefaults.isLoopback("localhost")).isTrue();
        assertThat(ServerDefaults.isLoopback("0.0.0.0")).isFalse();
        assertThat(ServerDefaults.isLoopback("192.0.2.1")).isFalse();
    }

    @Test
    void anAdminConnectorOnANonLoopbackAddressIsWarnedAboutAndOneWithoutBindHostGetsLoopback() {
        Logger logger = (Logger) LoggerFactory.getLogger(ServerDefaults.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            HttpConnectorFactory exposed = new HttpConnectorFactory();
            exposed.setBindHost("0.0.0.0");
            exposed.setPort(6002);
            HttpConnectorFactory unset = new HttpConnectorFactory();
            HttpConnectorFactory loopback = new HttpConnectorFactory();
            loopback.setBindHost("127.0.0.1");
            DefaultServerFactory server = new DefaultServerFactory();
            server.setAdminConnectors(List.of(exposed, unset, loopback));

            ServerDefaults.adminOnLoopback(server);

            assertThat(unset.getBindHost()).isEqualTo(ServerDefaults.ADMIN_BIND_HOST);
            assertThat(appender.list).hasSize(1);
            assertThat(appender.list.get(0).getLevel().toString()).isEqualTo("WARN");
            assertThat(appender.list.get(0).getFormattedMessage())
                    .startsWith("the admin connector binds to 0.0.0.0:6002, not a loopback address");
        } finally {
            logger.detachAppender(appender);
        }
    }
}
