package dev.gatehouse.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/**
 * {@code gatehouse.rate-limits.*}: how often one API key may be used (seeds 002 and 004: "applied per API
 * key"). A policy is one or more limits, each {@code <requests>/<window>}, all enforced at once: seed 004
 * limits per second, others per minute or hour, e.g. {@code 10/1s,1000/1h}.
 */
@ConfigMapping(prefix = "gatehouse.rate-limits")
public interface RateLimitConfig {
    @WithDefault("true")
    boolean enabled();

    /** Named policies, e.g. {@code gatehouse.rate-limits.policies.burst=10/1s,100/1m}. */
    Map<String, String> policies();

    /**
     * The policy every key gets: a name from {@link #policies()}, or {@code default}, which is
     * {@code 60/1m} unless {@code policies.default} says otherwise.
     */
    @WithDefault("default")
    String defaultPolicy();

    /**
     * Which headers report the limits, several at once allowed: {@code x-ratelimit} (seed 002),
     * {@code ietf} (draft-ietf-httpapi-ratelimit-headers, current syntax), {@code ietf-legacy} (the
     * {@code RateLimit-Limit/-Remaining/-Reset} names seed 004 lists).
     */
    @WithDefault("x-ratelimit,ietf")
    List<RateLimitHeaders.Style> headerStyles();
}
