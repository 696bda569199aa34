package io.imcore.service.websocket;

import io.dropwizard.core.setup.Environment;
import io.imcore.service.auth.TokenStore;
import io.imcore.service.config.WebSocketFactory;
import io.imcore.service.metrics.NodeMetrics;
import io.imcore.service.node.Node;
import java.time.Duration;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;

/** Installs Jetty's WebSocket support and the terminals' endpoint in the application context. */
public final class WebSocketEndpointInstaller {
    private WebSocketEndpointInstaller() {
    }

    public static void install(Environment environment, WebSocketFactory config, Node node, TokenStore tokens,
                               NodeMetrics metrics) {
        long maxFrame = config.getMaxFrameSize().toBytes();
        // Jetty's own idle timeout is a backstop; the node closes silent connections after 3 heartbeats.
        Duration idle = config.getHeartbeat().toJavaDuration().multipliedBy(4);
        JettyWebSocketServletContainerInitializer.configure(environment.getApplicationContext(),
                (servletContext, container) -> {
                    container.setMaxTextMessageSize(maxFrame);
                    container.setMaxBinaryMessageSize(maxFrame);
                    container.setIdleTimeout(idle);
                });
        environment.servlets()
                .addServlet("im-websocket", new UpgradeServlet(node, tokens, metrics, EndpointSettings.of(config)))
                .addMapping(config.getPath());
    }
}
