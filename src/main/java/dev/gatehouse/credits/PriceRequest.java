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
import java.time.Instant;
import java.util.Optional;

/**
 * What a metered request costs and who pays it, worked out before the rate limit is counted (so the
 * rate-limit step can charge it in the same round trip; {@link CheckCredits} reads what came of it). The
 * key's owner pays what the route costs on its plan; sandbox keys pay nothing (seed 002: "no credit
 * charges"). Nothing is charged for managing keys, on a plan that charges nothing, or for a credential
 * without an owner (an agent's unclaimed key, a client_credentials token: a client acting for itself).
 */
@ApplicationScoped
class PriceRequest implements MeteringCheck {
    static final int ORDER = 60;

    /** A request's price for its owner this month. */
    record Due(Owner owner, Plan plan, long cost, Period period) implements Meter.ChargeAsk {
        @Override
        public String balance() {
            return period.balance();
        }

        Instant resetsAt() {
            return Credits.resetOf(period.month());
        }
    }

    private final Owners owners;
    private final Plans plans;

    PriceRequest(Owners owners, Plans plans) {
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
        if (price == null || !plans.anyCharges() || token.accountId() == null) {
            return PASS;
        }
        try {
            Owner owner = owners.ofAccount(token.accountId());
            Plan plan = plans.of(owner);
            if (plan.charges()) {
                long cost = token.environment() == Environment.TEST ? 0 : plan.cost(price);
                context.chargeAhead(new Due(owner, plan, cost, new Period(owner.id(), Credits.monthOf(context.now()))));
            }
            return PASS;
        } catch (StoreUnavailable e) {
            return Optional.of(Verification.refused(VerificationCode.UNAVAILABLE, context, "Credits cannot be checked right now", null));
        }
    }
}
