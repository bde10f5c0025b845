package dev.gatehouse.agent;

import dev.gatehouse.state.HotState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Limits {@code POST /agent/auth} per caller address first, then over all callers, per registration type
 * (specs.md §1.6). Counters live in {@link HotState}, so every node shares them. If the store cannot be
 * reached the request goes through: registration must not stop because a counter did.
 */
@ApplicationScoped
public class RegistrationRateLimit {
    private static final Logger LOG = Logger.getLogger(RegistrationRateLimit.class);

    private final HotState state;
    private final AgentConfig.RateLimits limits;

    RegistrationRateLimit(HotState state, AgentConfig config) {
        this.state = state;
        this.limits = config.rateLimits();
    }

    /** Counts one registration attempt of {@code type} from {@code address}; throws 429 past a limit. */
    public void check(String type, String address) {
        boolean anonymous = type.equals(AgentRegistrations.ANONYMOUS);
        int perAddress = anonymous ? limits.anonymousPerAddress() : limits.identityAssertionPerAddress();
        int overall = anonymous ? limits.anonymousOverall() : limits.identityAssertionOverall();
        try {
            if (address != null) {
                checkWindow("agent-registrations:" + type + ":" + address, perAddress);
            }
            checkWindow("agent-registrations:" + type, overall);
        } catch (AgentError limited) {
            throw limited;
        } catch (RuntimeException unreachable) {
            LOG.warnf("Registration rate limit not applied, hot state unreachable: %s", unreachable.getMessage());
        }
    }

    private void checkWindow(String key, int limit) {
        HotState.WindowCount count = state.count(key, limits.window());
        if (count.count() > limit) {
            throw new RateLimited(count.remaining());
        }
    }

    /** 429 {@code rate_limited}, with when to retry. */
    static final class RateLimited extends AgentError {
        private final long retryAfterSeconds;

        RateLimited(Duration remaining) {
            super(429, "rate_limited", "Too many registrations; retry after " + Math.max(1, remaining.toSeconds()) + " seconds");
            this.retryAfterSeconds = Math.max(1, (remaining.toMillis() + 999) / 1000);
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
