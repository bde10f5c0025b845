package dev.gatehouse.state;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows which hot state runs and whether Redis answers. A Redis outage makes a node degraded, not
 * unready: revocations travel through PostgreSQL, and every counter falls back as its feature says, so
 * taking every node out of the load balancer would turn a partial outage into a total one. (Quarkus's own
 * Redis check is off: it says UP even when no Redis is configured.)
 */
@Readiness
@ApplicationScoped
public class HotStateReadiness implements HealthCheck {
    private final HotState state;

    HotStateReadiness(HotState state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Hot state").up().withData("mode", state.mode());
        if (!"redis".equals(state.mode())) {
            return response.build();
        }
        // Degraded is not down: with Redis unreachable each node counts on its own (FailoverHotState).
        return response.withData("redis", state.reachable() ? "reachable" : "unreachable").build();
    }
}
