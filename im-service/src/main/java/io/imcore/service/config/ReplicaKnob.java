package io.imcore.service.config;

import io.dropwizard.util.Duration;
import io.imcore.redis.ReplicaAck;

/** The {@code waitReplicas} / {@code waitTimeout} pair of {@code redis.sentinel} and {@code redis.cluster}. */
final class ReplicaKnob {
    private ReplicaKnob() {}

    /**
     * @param section {@code redis.sentinel} or {@code redis.cluster}, named in the message of a bad pair
     * @throws IllegalArgumentException with one line naming the keys
     */
    static ReplicaAck of(String section, int waitReplicas, Duration waitTimeout) {
        if (waitReplicas == 0) {
            return ReplicaAck.OFF;
        }
        try {
            return new ReplicaAck(waitReplicas, waitTimeout == null ? null : waitTimeout.toJavaDuration());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    section + "." + e.getMessage().replace("when waitReplicas", "when " + section + ".waitReplicas"));
        }
    }
}
