package dev.gatehouse.state;

import dev.gatehouse.state.CreditCounters.Charge;
import dev.gatehouse.state.WindowCounters.Decision;
import dev.gatehouse.state.WindowCounters.Limit;
import java.util.List;
import java.util.Optional;

/**
 * A metered request in one step: counted against its rate limits and, if they let it through, charged
 * to a balance. With Redis that is one script, one round trip, where counting and charging separately
 * would be two (on loopback, a round trip costs about as much as the rest of a request: docs/benchmarks.md).
 * A request the rate limit refuses is never charged.
 */
public interface Meter {

    /** What to charge: {@code cost} credits of a held balance (a balance not held yet answers NOT_HELD). */
    interface ChargeAsk {
        String balance();

        long cost();
    }

    /** The rate limits' decision, and the charge's outcome if one was asked and the rate limits let it through. */
    record Metered(Decision decision, Optional<Charge> charge) {
    }

    Metered meter(String subject, List<Limit> limits, long nowMillis, Optional<ChargeAsk> charge);

    /** Counting, then charging, one after the other: a node's own counters. */
    static Meter inTurn(WindowCounters windows, CreditCounters credits) {
        return (subject, limits, nowMillis, charge) -> {
            Decision decision = windows.acquire(subject, limits, nowMillis);
            return new Metered(decision, decision.allowed()
                    ? charge.map(ask -> credits.charge(ask.balance(), ask.cost()))
                    : Optional.empty());
        };
    }
}
