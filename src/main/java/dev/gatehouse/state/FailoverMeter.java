package dev.gatehouse.state;

import dev.gatehouse.state.CreditCounters.Charge;
import dev.gatehouse.state.WindowCounters.Decision;
import dev.gatehouse.state.WindowCounters.Limit;
import java.util.List;
import java.util.Optional;

/**
 * {@link RedisMeter} while Redis answers for both rate limits and credits; otherwise each on its own, as
 * its failover counters decide. When the one script fails, the rate limit is counted on this node (as
 * {@link FailoverWindowCounters} does) and the charge is {@link CreditCounters.Outcome#UNCERTAIN}: Redis
 * may have run it, so it is charged nowhere else (as {@link FailoverCreditCounters} does).
 */
final class FailoverMeter implements Meter {
    private final RedisMeter shared;
    private final FailoverWindowCounters windows;
    private final FailoverCreditCounters credits;
    private final Meter inTurn;

    FailoverMeter(RedisMeter shared, FailoverWindowCounters windows, FailoverCreditCounters credits) {
        this.shared = shared;
        this.windows = windows;
        this.credits = credits;
        this.inTurn = Meter.inTurn(windows, credits);
    }

    @Override
    public Metered meter(String subject, List<Limit> limits, long nowMillis, Optional<ChargeAsk> charge) {
        if (charge.isEmpty() || !windows.failover().useShared() || !credits.failover().useShared()) {
            return inTurn.meter(subject, limits, nowMillis, charge);
        }
        try {
            Metered metered = shared.meter(subject, limits, nowMillis, charge);
            windows.failover().answered();
            credits.failover().answered();
            return metered;
        } catch (RuntimeException e) {
            windows.failover().failed(e);
            credits.failover().failed(e);
            windows.failover().countLocal();
            Decision decision = windows.local().acquire(subject, limits, nowMillis);
            return new Metered(decision, decision.allowed() ? Optional.of(Charge.UNCERTAIN) : Optional.empty());
        }
    }
}
