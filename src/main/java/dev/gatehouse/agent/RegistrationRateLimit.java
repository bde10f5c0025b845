package dev.gatehouse.agent;

import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.AttemptLimits.Limit;
import dev.gatehouse.state.WindowCounters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits {@code POST /agent/auth} per caller address and over all callers, per registration type
 * (specs.md §1.6). Counters are the rate limits' ({@link AttemptLimits}), so every node shares them; with
 * Redis unreachable each node counts on its own, so registration never stops because a counter did.
 */
@ApplicationScoped
public class RegistrationRateLimit {

    private final AgentConfig.RateLimits config;
    private final AttemptLimits limits;

    RegistrationRateLimit(WindowCounters counters, Clock clock, AgentConfig config) {
        this.config = config.rateLimits();
        this.limits = new AttemptLimits(counters, clock, this.config.window());
    }

    /** Counts one registration attempt of {@code type} from {@code address}; throws 429 past a limit. */
    public void check(String type, String address) {
        boolean anonymous = type.equals(AgentRegistrations.ANONYMOUS);
        List<Limit> counted = new ArrayList<>(2);
        if (address != null) {
            counted.add(new Limit("agent-registrations:" + type + ":" + AttemptLimits.network(address),
                    anonymous ? config.anonymousPerAddress() : config.identityAssertionPerAddress()));
        }
        counted.add(new Limit("agent-registrations:" + type, anonymous ? config.anonymousOverall() : config.identityAssertionOverall()));
        limits.acquire(counted).ifPresent(wait -> {
            throw new AgentError.RateLimited("Too many registrations", wait);
        });
    }
}
