package io.imcore.example.health;

import com.codahale.metrics.health.HealthCheck;
import io.imcore.client.ImException;
import io.imcore.client.ImHelper;

/** {@code im}: healthy while ImHelper reaches Redis (it asks who is online). */
public final class ImHealthCheck extends HealthCheck {
    @Override
    protected Result check() {
        try {
            return Result.healthy(
                    "%d clients online", ImHelper.getClientListByOnline().size());
        } catch (ImException | IllegalStateException e) {
            return Result.unhealthy(e.getMessage());
        }
    }
}
