package dev.gatehouse.credits;

import dev.gatehouse.credits.CreditLedger.Period;
import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.owner.Owner;
import dev.gatehouse.owner.Owners;
import dev.gatehouse.state.Meter;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.verification.MeteringCheck;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationContext;
import dev.gatehouse.verification.VerificationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What the owner's plan says of a metered request, first in the metering slot:
 * <ul>
 * <li>whether it includes the route. If not, seed 002's 403 ("If your key is valid but your plan does
 * not include the requested endpoint"), before the request is counted against the rate limit or charged;
 * <li>what the request costs. Worked out now, so that the rate-limit step can make the charge in the same
 * round trip as its count; {@link CheckCredits} reads what came of it.
 * </ul>
 * The key's owner pays the route's price on its plan; sandbox keys pay nothing (seed 002: "no credit
 * charges"). Nothing is charged for managing keys, on a plan that charges nothing, or for a credential
 * without an owner (an agent's unclaimed key, a client_credentials token: a client acting for itself).
 */
@ApplicationScoped
class CheckPlan implements MeteringCheck {
    static final int ORDER = 50;
    static final String NOT_IN_PLAN = "Your plan does not include access to this endpoint";

    /** A request's price for its owner this month. */
    record Due(Owner owner, Plan plan, long cost, Period period) implements Meter.ChargeAsk {
        @Override
        public String balance() {
            return period.balance();
        }
    }

    private final Owners owners;
    private final Plans plans;

    CheckPlan(Owners owners, Plans plans) {
        this.owners = owners;
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
        boolean routesToCheck = plans.anyLeavesRoutesOut() && price != null && price.route() != null;
        boolean toCharge = plans.anyCharges() && price != null;
        if (token.accountId() == null || !(routesToCheck || toCharge)) {
            return PASS;
        }
        try {
            Owner owner = owners.ofAccount(token.accountId());
            Plan plan = plans.of(owner);
            if (routesToCheck && !plan.includes(price)) {
                return Optional.of(Verification.refused(VerificationCode.NOT_IN_PLAN, context, NOT_IN_PLAN, null));
            }
            if (toCharge && plan.charges()) {
                long cost = token.environment() == Environment.TEST ? 0 : plan.cost(price);
                context.chargeAhead(new Due(owner, plan, cost, new Period(owner.id(), Credits.monthOf(context.now()))));
            }
            return PASS;
        } catch (StoreUnavailable e) {
            return Optional.of(Verification.refused(VerificationCode.UNAVAILABLE, context, "Plans cannot be checked right now", null));
        }
    }
}
