package dev.gatehouse.credits;

import dev.gatehouse.verification.VerificationPolicy;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One plan of the catalogue.
 *
 * @param name       its name
 * @param allowance  credits granted each calendar month (UTC); empty: the plan charges nothing
 * @param unit       what the allowance counts
 * @param prices     route name to price, where this plan prices a route otherwise than the route table
 * @param rateLimit  the rate-limit policy of its keys; empty: the default
 * @param routes     the routes it includes; empty: all of them
 */
public record Plan(String name, OptionalLong allowance, Unit unit, Map<String, Long> prices, Optional<String> rateLimit,
        Optional<java.util.Set<String>> routes) {

    public enum Unit {
        /** Routes cost what they are priced at (seeds 002, 003). */
        CREDITS,
        /** A request quota: every request costs 1 (seed 004's "5,000 requests/month"). */
        REQUESTS
    }

    public Plan {
        prices = Map.copyOf(prices);
    }

    /** Whether a request at {@code price} is one this plan includes; requests outside the route table are. */
    public boolean includes(VerificationPolicy.Price price) {
        return price.route() == null || routes.isEmpty() || routes.get().contains(price.route());
    }

    public boolean charges() {
        return allowance.isPresent();
    }

    /** What a request at {@code price} costs on this plan. */
    public long cost(VerificationPolicy.Price price) {
        if (unit == Unit.REQUESTS) {
            return 1;
        }
        if (price.fixed()) {
            return price.credits();
        }
        Long own = price.route() == null ? null : prices.get(price.route());
        return own != null ? own : price.credits();
    }
}
