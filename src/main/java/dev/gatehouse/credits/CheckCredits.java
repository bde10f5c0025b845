package dev.gatehouse.credits;

import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.owner.Owner;
import dev.gatehouse.owner.Owners;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.verification.CreditCharge;
import dev.gatehouse.verification.MeteringCheck;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationContext;
import dev.gatehouse.verification.VerificationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Quotas and credits (seeds 002, 003, 004), in the pipeline's metering slot after the rate limit, so a
 * request refused for its rate is never charged. The key's owner pays what the route costs on its plan;
 * sandbox keys pay nothing (seed 002: "no credit charges"). Every answer it lets through carries
 * {@code X-Credits-Used} and {@code X-Credits-Remaining}; a balance too short for the request is 402.
 */
@ApplicationScoped
class CheckCredits implements MeteringCheck {
    static final int ORDER = 200;
    static final String USED = "X-Credits-Used";
    static final String REMAINING = "X-Credits-Remaining";

    private final Credits credits;
    private final Owners owners;
    private final Plans plans;
    /** How the 402 for spent credits ends: where to top up, or that a top-up helps. */
    private final String topUp;

    CheckCredits(Credits credits, Owners owners, Plans plans, PlansConfig config) {
        this.credits = credits;
        this.owners = owners;
        this.plans = plans;
        this.topUp = config.topUpUrl().map(url -> ". Top up at " + url).orElse("; a top-up adds credits sooner");
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        VerificationPolicy.Price price = context.policy().price();
        TokenRecord token = context.token();
        // Nothing to charge: managing keys, no plan that charges, or a credential without an owner (an agent's
        // unclaimed key, a client_credentials token: a client acting for itself).
        if (price == null || !plans.anyCharges() || token.accountId() == null) {
            return PASS;
        }
        Credits.Charged charged;
        Plan plan;
        try {
            Owner owner = owners.ofAccount(token.accountId());
            plan = plans.of(owner);
            if (!plan.charges()) {
                return PASS;
            }
            long cost = token.environment() == Environment.TEST ? 0 : plan.cost(price);
            charged = credits.charge(owner, plan, cost, context.now());
        } catch (StoreUnavailable e) {
            return Optional.of(Verification.refused(VerificationCode.UNAVAILABLE, context,
                    "Credits cannot be checked right now", null));
        }
        context.credits(new CreditCharge(charged.used(), charged.remaining(), charged.resetsAt().getEpochSecond()));
        if (charged.charged()) {
            context.respondWith(USED, Long.toString(charged.used()));
            context.respondWith(REMAINING, Long.toString(charged.remaining()));
            return PASS;
        }
        context.respondWith(REMAINING, Long.toString(charged.remaining()));
        String resets = charged.resetsAt().toString();
        return Optional.of(plan.unit() == Plan.Unit.REQUESTS
                ? Verification.refused(VerificationCode.QUOTA_EXCEEDED, context, "Monthly request quota exceeded for your plan"
                        + " (" + plan.allowance().getAsLong() + " requests). It resets at " + resets, charged.resetsAt())
                : Verification.refused(VerificationCode.INSUFFICIENT_CREDITS, context, "Insufficient credits for this operation:"
                        + " it costs " + plan.cost(price) + " and " + charged.remaining() + " remain. The monthly allowance resets at "
                        + resets + topUp, charged.resetsAt()));
    }
}
