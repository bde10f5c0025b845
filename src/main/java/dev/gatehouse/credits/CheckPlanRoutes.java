package dev.gatehouse.credits;

import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.verification.MeteringCheck;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationContext;
import dev.gatehouse.verification.VerificationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Seed 002's 403: "If your key is valid but your plan does not include the requested endpoint". First in
 * the metering slot, so a request the plan leaves out is neither counted against the rate limit nor charged.
 */
@ApplicationScoped
class CheckPlanRoutes implements MeteringCheck {
    static final int ORDER = 50;
    static final String MESSAGE = "Your plan does not include access to this endpoint";

    private final Plans plans;

    CheckPlanRoutes(Plans plans) {
        this.plans = plans;
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        VerificationPolicy.Price price = context.policy().price();
        TokenRecord token = context.token();
        if (!plans.anyLeavesRoutesOut() || price == null || price.route() == null || token.accountId() == null) {
            return PASS;
        }
        try {
            if (plans.ofAccount(token.accountId()).includes(price)) {
                return PASS;
            }
        } catch (StoreUnavailable e) {
            return Optional.of(Verification.refused(VerificationCode.UNAVAILABLE, context, "Plans cannot be checked right now", null));
        }
        return Optional.of(Verification.refused(VerificationCode.NOT_IN_PLAN, context, MESSAGE, null));
    }
}
