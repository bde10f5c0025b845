package dev.gatehouse.metering;

import dev.gatehouse.credits.Plan;
import dev.gatehouse.credits.Plans;
import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.state.Meter;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.token.TokenRecord;
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
 * window across nodes while Redis answers. The request's charge, if {@code CheckPlan} worked one out,
 * is made in the same step, and only if the request is let through.
 *
 * <p>Which policy applies: the key's own, if an operator set one; else its owner's plan's; else the default.
 */
@ApplicationScoped
class CheckRateLimit implements MeteringCheck {
    static final int ORDER = 100;

    /** A policy with its headers, built once. */
    private record Applied(RateLimitPolicy policy, RateLimitHeaders headers) {
    }

    private final Meter meter;
    private final boolean enabled;
    private final Map<String, Applied> policies = new HashMap<>();
    private final Applied defaultPolicy;
    private final Plans plans;
    /** Whether any plan has a policy of its own; if none does, no owner is looked up. */
    private final boolean plansChoose;

    CheckRateLimit(Meter meter, RateLimitConfig config, Plans plans) {
        this.meter = meter;
        this.enabled = config.enabled();
        this.plans = plans;
        Map<String, String> specs = new HashMap<>(config.policies());
        specs.putIfAbsent("default", RateLimitPolicy.DEFAULT_SPEC);
        specs.forEach((name, spec) -> {
            RateLimitPolicy policy = RateLimitPolicy.parse(name, spec);
            policies.put(name, new Applied(policy, new RateLimitHeaders(config.headerStyles(), policy)));
        });
        this.defaultPolicy = Optional.ofNullable(policies.get(config.defaultPolicy())).orElseThrow(() -> new IllegalArgumentException(
                "gatehouse.rate-limits.default-policy names " + config.defaultPolicy() + ", which gatehouse.rate-limits.policies lacks"));
        for (Plan plan : plans.all()) {
            plan.rateLimit().filter(name -> !policies.containsKey(name)).ifPresent(name -> {
                throw new IllegalArgumentException("gatehouse.plans.catalogue.\"" + plan.name() + "\".rate-limit names " + name
                        + ", which gatehouse.rate-limits.policies lacks");
            });
        }
        this.plansChoose = plans.all().stream().anyMatch(plan -> plan.rateLimit().isPresent());
    }

    /** Whether {@code name} is a configured policy (an operator's per-key choice must be one). */
    boolean knows(String name) {
        return policies.containsKey(name);
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
        Applied applied = policyFor(context.token());
        long now = context.now().toEpochMilli();
        // A charge worked out ahead goes in the same step: one round trip with Redis, not two.
        Meter.Metered metered = meter.meter(context.token().id().toString(), applied.policy().limits(), now, context.chargeAhead());
        metered.charge().ifPresent(context::chargedAhead);
        WindowCounters.Decision decision = metered.decision();
        applied.headers().write(decision.standings(), now, context);
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

    private Applied policyFor(TokenRecord token) {
        if (token.rateLimitPolicy() != null) {
            Applied own = policies.get(token.rateLimitPolicy());
            if (own != null) {
                return own;
            }
        }
        if (plansChoose && token.accountId() != null) {
            try {
                Optional<String> planned = plans.ofAccount(token.accountId()).rateLimit();
                if (planned.isPresent()) {
                    return policies.get(planned.get());
                }
            } catch (StoreUnavailable e) {
                // The owner cannot be read and was never cached: the default policy still limits the key.
                return defaultPolicy;
            }
        }
        return defaultPolicy;
    }
}
