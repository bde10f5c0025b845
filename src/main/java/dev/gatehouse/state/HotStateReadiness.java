package dev.gatehouse.state;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the hot state answers. With Redis configured, a node that cannot reach it would
 * refuse sign-ins and miss other nodes' revocations, so it should leave the load balancer. (Quarkus's
 * own Redis check is off: it says UP even when no Redis is configured.)
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
        var response = HealthCheckResponse.named("Hot state").withData("mode", state.mode());
        try {
            state.peek("health");
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
