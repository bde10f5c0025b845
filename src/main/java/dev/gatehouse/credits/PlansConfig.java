package dev.gatehouse.credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code gatehouse.plans.*}: what owners pay for their keys' use (docs/credits.md). A plan grants credits at
 * the start of each calendar month (UTC) and prices routes; a request quota is a plan whose unit is the
 * request (seed 004's free tier: 5,000 a month). Plans also choose their keys' rate-limit policy.
 */
@ConfigMapping(prefix = "gatehouse.plans")
public interface PlansConfig {
    /**
     * The plan of every owner an operator has not put on another: a name in {@link #catalogue()}. The plan
     * {@code default}, unless the catalogue defines it, grants nothing and charges nothing.
     */
    @WithDefault("default")
    String defaultPlan();

    /**
     * How often charges held in Redis (or this node's memory) are written to PostgreSQL, the balance of
     * record. A Redis lost with everything in it gives away at most about this long's use.
     */
    @WithDefault("2s")
    Duration reconcileInterval();

    /** Where people buy credits, named in every 402 for spent credits (seed 003: "Top up at app.jobtactics.io/credits"). */
    Optional<String> topUpUrl();

    /** The plans, by name: {@code gatehouse.plans.catalogue."pro".allowance=100000}. */
    Map<String, PlanSpec> catalogue();

    interface PlanSpec {
        /** Credits granted at the start of each calendar month (UTC); unset: this plan charges nothing. */
        OptionalLong allowance();

        /** {@code credits}: routes cost what they are priced at; {@code requests}: a request quota, every request costs 1. */
        @WithDefault("credits")
        Plan.Unit unit();

        /** Prices on this plan by route name (gatehouse.routes), instead of the route table's cost. */
        Map<String, Long> prices();

        /**
         * The routes (names in gatehouse.routes) this plan includes; unset: every route. A request for another
         * is 403, "Your plan does not include access to this endpoint" (seed 002).
         */
        Optional<java.util.Set<String>> routes();

        /** This plan's keys' rate-limit policy, a name in gatehouse.rate-limits.policies; unset: the default policy. */
        Optional<String> rateLimit();
    }
}
