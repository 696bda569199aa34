package io.imcore.service.websocket;

import io.imcore.service.config.WebSocketFactory;
import java.time.Duration;
import org.eclipse.jetty.websocket.core.Configuration;

/**
 * What the endpoint enforces per request and per connection.
 *
 * @param origins            allowed {@code Origin} values
 * @param maxFramesPerSecond frames a terminal may send per second (0: no limit)
 * @param closeTimeout       time a terminal gets to complete a close the node started
 * @param session            Jetty's settings of every connection (frame and message size, idle timeout)
 * @param compression        whether a terminal may negotiate {@code permessage-deflate}
 */
record EndpointSettings(
        OriginPolicy origins,
        int maxFramesPerSecond,
        Duration closeTimeout,
        Configuration.Customizer session,
        boolean compression) {

    static EndpointSettings of(WebSocketFactory config) {
        long maxFrame = config.getMaxFrameSize().toBytes();
        Configuration.ConfigurationCustomizer session = new Configuration.ConfigurationCustomizer();
        session.setMaxFrameSize(maxFrame);
        session.setMaxTextMessageSize(maxFrame);
        session.setMaxBinaryMessageSize(maxFrame);
        // Jetty's own idle timeout is a backstop; the node closes silent connections after 3 heartbeats.
        session.setIdleTimeout(config.getHeartbeat().toJavaDuration().multipliedBy(4));
        return new EndpointSettings(
                new OriginPolicy(config.getAllowedOrigins()),
                config.getMaxFramesPerSecond(),
                config.getCloseTimeout().toJavaDuration(),
                session,
                config.isCompression());
    }
}
