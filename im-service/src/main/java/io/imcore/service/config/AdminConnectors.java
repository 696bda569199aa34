package io.imcore.service.config;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;

/**
 * The admin port (health checks, metrics, tasks that kick clients) listens on loopback unless the
 * configuration names a {@code bindHost}: Dropwizard's own default is every interface.
 */
public final class AdminConnectors {
    /** Where an admin connector without {@code bindHost} listens. */
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";

    private AdminConnectors() {
    }

    /** Sets {@code bindHost} of every admin HTTP connector that has none to {@value #DEFAULT_BIND_HOST}. */
    public static void loopbackByDefault(ServerFactory server) {
        if (!(server instanceof DefaultServerFactory factory)) {
            return; // the simple server has one connector for both: its bindHost is the application's
        }
        for (ConnectorFactory connector : factory.getAdminConnectors()) {
            if (connector instanceof HttpConnectorFactory http && http.getBindHost() == null) {
                http.setBindHost(DEFAULT_BIND_HOST);
            }
        }
    }
}
