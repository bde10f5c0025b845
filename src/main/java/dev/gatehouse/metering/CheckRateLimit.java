package dev.gatehouse.metering;

import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.verification.MeteringCheck;
import dev.gatehouse.verification.Quota;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rate limit, per key (seeds 002 and 004), in the pipeline's metering slot: counted atomically across
 * nodes, reported in the deployment's header styles on every answer, 429 past the limit. The first
 * request over the limit is refused, exactly: limit + 1 on one node, and never more than the limit in a
 * window across nodes while Redis answers.
 */
@ApplicationScoped
class CheckRateLimit implements MeteringCheck {
    static final int ORDER = 100;

    private final WindowCounters counters;
    private final boolean enabled;
    private final RateLimitPolicy policy;
    private final RateLimitHeaders headers;

    CheckRateLimit(WindowCounters counters, RateLimitConfig config) {
        this.counters = counters;
        this.enabled = config.enabled();
        Map<String, RateLimitPolicy> policies = new HashMap<>();
        config.policies().forEach((name, spec) -> policies.put(name, RateLimitPolicy.parse(name, spec)));
        policies.putIfAbsent("default", RateLimitPolicy.parse("default", RateLimitPolicy.DEFAULT_SPEC));
        this.policy = Optional.ofNullable(policies.get(config.defaultPolicy())).orElseThrow(() -> new IllegalArgumentException(
                "gatehouse.rate-limits.default-policy names " + config.defaultPolicy() + ", which gatehouse.rate-limits.policies lacks"));
        this.headers = new RateLimitHeaders(config.headerStyles(), policy);
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        if (!enabled) {
            return PASS;
        }
        long now = context.now().toEpochMilli();
        WindowCounters.Decision decision = counters.acquire(context.token().id().toString(), policy.limits(), now);
        headers.write(decision.standings(), now, context);
        WindowCounters.Standing tightest = RateLimitHeaders.tightest(decision.standings());
        context.rateLimit(new Quota(tightest.limit().limit(), tightest.remaining(), (tightest.resetAtMillis() + 999) / 1000));
        if (decision.allowed()) {
            return PASS;
        }
        // Come back when every full window has reset.
        long retryAt = decision.standings().stream().filter(WindowCounters.Standing::full)
                .mapToLong(WindowCounters.Standing::resetAtMillis).max().orElse(now + 1000);
        return Optional.of(Verification.refused(VerificationCode.RATE_LIMITED, context, "Rate limit exceeded",
                Instant.ofEpochMilli(retryAt)));
    }
}
