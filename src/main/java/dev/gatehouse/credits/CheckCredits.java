package dev.gatehouse.credits;

import dev.gatehouse.verification.CreditCharge;
import dev.gatehouse.verification.MeteringCheck;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Quotas and credits (seeds 002, 003, 004), in the pipeline's metering slot after the rate limit, so a
 * request refused for its rate is never charged. The owner pays what {@link CheckPlan} worked out:
 * charged already in the rate limit's round trip, or here. Every answer it lets through carries
 * {@code X-Credits-Used} and {@code X-Credits-Remaining}; a balance too short for the request is 402.
 */
@ApplicationScoped
class CheckCredits implements MeteringCheck {
    static final int ORDER = 200;
    static final String USED = "X-Credits-Used";
    static final String REMAINING = "X-Credits-Remaining";

    private final Credits credits;
    /** How the 402 for spent credits ends: where to top up, or that a top-up helps. */
    private final String topUp;

    CheckCredits(Credits credits, PlansConfig config) {
        this.credits = credits;
        this.topUp = config.topUpUrl().map(url -> ". Top up at " + url).orElse("; a top-up adds credits sooner");
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        if (!(context.chargeAhead().orElse(null) instanceof CheckPlan.Due due)) {
            return PASS;
        }
        Credits.Charged charged = credits.charge(due, context.chargedAhead(), context.now());
        context.credits(new CreditCharge(charged.used(), charged.remaining(), charged.resetsAt().getEpochSecond()));
        if (charged.charged()) {
            context.respondWith(USED, Long.toString(charged.used()));
            context.respondWith(REMAINING, Long.toString(charged.remaining()));
            return PASS;
        }
        context.respondWith(REMAINING, Long.toString(charged.remaining()));
        Plan plan = due.plan();
        String resets = charged.resetsAt().toString();
        return Optional.of(plan.unit() == Plan.Unit.REQUESTS
                ? Verification.refused(VerificationCode.QUOTA_EXCEEDED, context, "Monthly request quota exceeded for your plan"
                        + " (" + plan.allowance().getAsLong() + " requests). It resets at " + resets, charged.resetsAt())
                : Verification.refused(VerificationCode.INSUFFICIENT_CREDITS, context, "Insufficient credits for this operation:"
                        + " it costs " + due.cost() + " and " + charged.remaining() + " remain. The monthly allowance resets at "
                        + resets + topUp, charged.resetsAt()));
    }
}
