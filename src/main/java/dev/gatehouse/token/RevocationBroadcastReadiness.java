package dev.gatehouse.token;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows whether this node hears every token change. Degraded is not down: the node still answers
 * correctly, only with a fresh read from PostgreSQL more often, so it stays in the load balancer.
 */
@Readiness
@ApplicationScoped
public class RevocationBroadcastReadiness implements HealthCheck {
    private final RevocationBroadcast broadcast;

    RevocationBroadcastReadiness(RevocationBroadcast broadcast) {
        this.broadcast = broadcast;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Revocation broadcast").up()
                .withData("mode", broadcast.trusted() ? "trusted" : "degraded")
                .withData("channel", "postgres")
                .build();
    }
}
