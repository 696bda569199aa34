package io.imcore.service.websocket;

import io.imcore.service.config.WebSocketFactory;
import java.time.Duration;

/**
 * What the endpoint enforces per request and per connection.
 *
 * @param origins            allowed {@code Origin} values
 * @param maxFramesPerSecond frames a terminal may send per second (0: no limit)
 * @param closeTimeout       time a terminal gets to complete a close the node started
 */
record EndpointSettings(OriginPolicy origins, int maxFramesPerSecond, Duration closeTimeout) {

    static EndpointSettings of(WebSocketFactory config) {
        return new EndpointSettings(new OriginPolicy(config.getAllowedOrigins()), config.getMaxFramesPerSecond(),
                config.getCloseTimeout().toJavaDuration());
    }
}
