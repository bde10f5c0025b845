package dev.gatehouse.credits;

import dev.gatehouse.credits.CreditLedger.Period;
import dev.gatehouse.credits.CreditLedger.Statement;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.owner.Owner;
import dev.gatehouse.owner.Owners;
import dev.gatehouse.state.CreditCounters;
import dev.gatehouse.state.CreditCounters.Charge;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Owners' balances: charging a request (atomic in the hot counters, written to PostgreSQL by
 * {@link CreditReconciler}), what an owner has left, and the operator's top-ups and plan changes.
 * Allowances reset at the start of each calendar month, UTC.
 */
@ApplicationScoped
public class Credits {
    /** Redis keeps a month's balance this long after the month ends, for late reconciles. */
    private static final Duration KEEP_AFTER_MONTH = Duration.ofDays(7);

    /** What a charge did: whether it went through, the credits it used, what is left of what is granted, and when the allowance resets. */
    public record Charged(boolean charged, long used, long remaining, long granted, Instant resetsAt) {
    }

    /** Where an owner stands this month. {@code spent} includes what is charged but not yet written. */
    public record Standing(Owner owner, Plan plan, YearMonth month, long allowance, long topUps, long spent,
            long remaining, long givenAway, Instant resetsAt) {
    }

    private final CreditCounters counters;
    private final CreditLedger ledger;
    private final Owners owners;
    private final Plans plans;
    private final CreditReconciler reconciler;
    private final Clock clock;

    Credits(CreditCounters counters, CreditLedger ledger, Owners owners, Plans plans, CreditReconciler reconciler, Clock clock) {
        this.counters = counters;
        this.reconciler = reconciler;
        this.ledger = ledger;
        this.owners = owners;
        this.plans = plans;
        this.clock = clock;
    }

    /**
     * Charges {@code cost} credits (0 only reads the balance) to the owner's balance this month, if that
     * much is left. If Redis failed while charging (it may have counted the charge), the request goes
     * through uncharged rather than risk a second count.
     */
    public Charged charge(Owner owner, Plan plan, long cost, Instant now) {
        return charge(new Period(owner.id(), monthOf(now)), plan, cost, Optional.empty(), now);
    }

    /** A request's charge, {@code ahead} what came of it if it was made with the rate limit's count. */
    Charged charge(CheckPlan.Due due, Optional<Charge> ahead, Instant now) {
        return charge(due.period(), due.plan(), due.cost(), ahead, now);
    }

    private Charged charge(Period period, Plan plan, long cost, Optional<Charge> ahead, Instant now) {
        Charge charge = ahead.filter(made -> made.outcome() != CreditCounters.Outcome.NOT_HELD)
                .orElseGet(() -> chargeOrLoad(period, plan, cost, now));
        long used = cost;
        if (charge.outcome() == CreditCounters.Outcome.UNCERTAIN) {
            used = 0;
            charge = chargeOrLoad(period, plan, 0, now); // Redis is skipped for a while now: this reads here
        }
        if (charge.outcome() == CreditCounters.Outcome.REFUSED) {
            // The balance may be short because a top-up or a plan change has not reached this holding yet.
            reconciler.recheck(period.balance());
        }
        boolean charged = charge.outcome() == CreditCounters.Outcome.CHARGED || charge.outcome() == CreditCounters.Outcome.UNCERTAIN;
        return new Charged(charged, charged ? used : 0, charge.remaining(), charge.granted(), resetOf(period.month()));
    }

    private Charge chargeOrLoad(Period period, Plan plan, long cost, Instant now) {
        Charge charge = counters.charge(period.balance(), cost);
        if (charge.outcome() != CreditCounters.Outcome.NOT_HELD) {
            return charge;
        }
        Statement recorded = ledger.open(period, plan.allowance().orElse(0));
        long keep = resetOf(period.month()).plus(KEEP_AFTER_MONTH).toEpochMilli() - now.toEpochMilli();
        return counters.charge(period.balance(), cost, recorded.ledger(), keep);
    }

    /** This month's standing of an owner on a plan that charges. */
    public Standing standing(Owner owner) {
        Plan plan = plans.of(owner);
        Instant now = clock.instant();
        YearMonth month = monthOf(now);
        if (!plan.charges()) {
            return new Standing(owner, plan, month, 0, 0, 0, 0, 0, resetOf(month));
        }
        Statement recorded = ledger.open(new Period(owner.id(), month), plan.allowance().getAsLong());
        // The hot counters know what is charged and not yet written.
        Charged hot = charge(owner, plan, 0, now);
        return new Standing(owner, plan, month, recorded.allowance(), recorded.topUps(), Math.max(0, hot.granted() - hot.remaining()),
                hot.remaining(), recorded.givenAway(), resetOf(month));
    }

    /** Adds credits to an owner's balance this month, once per reference; unspent, they carry over. */
    public Standing topUp(UUID ownerId, long credits, String reference) {
        Owner owner = owners.byId(ownerId).orElseThrow(() -> Rejection.notFound("No such owner"));
        Plan plan = plans.of(owner);
        if (!plan.charges()) {
            throw Rejection.invalid("The owner's plan " + plan.name() + " charges nothing: put it on a plan with an allowance first");
        }
        Period period = new Period(ownerId, monthOf(clock.instant()));
        CreditLedger.TopUp topUp = ledger.topUp(period, plan.allowance().getAsLong(), credits, reference, clock.instant());
        grant(period, topUp.statement());
        return standing(owner);
    }

    /**
     * Puts an owner on another plan; this month's allowance becomes the new plan's at once, or what was
     * already spent of the old allowance if that is more: a smaller plan never takes back what was spent,
     * and bought top-ups stay as they are.
     */
    public Standing changePlan(UUID ownerId, String planName) {
        Plan plan = plans.named(planName).orElseThrow(() -> Rejection.invalid("No plan named " + planName));
        owners.byId(ownerId).orElseThrow(() -> Rejection.notFound("No such owner"));
        Period period = new Period(ownerId, monthOf(clock.instant()));
        // What is charged is written first, so the new allowance is measured against everything spent.
        reconciler.reconcile();
        var changed = ledger.inTransaction(connection -> {
            owners.setPlan(connection, ownerId, planName);
            return ledger.setAllowance(connection, period, plan.allowance().orElse(0));
        });
        owners.forget(ownerId);
        changed.ifPresent(statement -> grant(period, statement));
        return standing(owners.byId(ownerId).orElseThrow());
    }

    /**
     * A new grant for the holdings at once; and in the reconciler's next round, for a holding that missed
     * it (Redis not answering just now, or a holding loaded from the figures before this change).
     */
    private void grant(Period period, Statement statement) {
        counters.settle(period.balance(), new CreditCounters.Settlement(null, 0, 0, statement.granted(), statement.version()));
        reconciler.recheck(period.balance());
    }

    public static YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
    }

    /** When a month's allowance resets: the first instant of the next month, UTC. */
    public static Instant resetOf(YearMonth month) {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
