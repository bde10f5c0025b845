package dev.gatehouse.metering;

import dev.gatehouse.state.WindowCounters.Standing;
import dev.gatehouse.verification.VerificationContext;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Writes a key's standing against its limits in the header styles the deployment chose. */
final class RateLimitHeaders {
    enum Style {
        /** Seed 002: X-RateLimit-Limit, -Remaining, and -Reset as Unix epoch seconds. */
        X_RATELIMIT,
        /** draft-ietf-httpapi-ratelimit-headers (specs.md §9.1): RateLimit-Policy and RateLimit, as Structured Field lists. */
        IETF,
        /** The draft's older names, which seed 004 lists: RateLimit-Limit, -Remaining, -Reset (seconds) and RateLimit-Policy. */
        IETF_LEGACY
    }

    private final List<Style> styles;
    /** The policy fields never change for a policy: written once, not on every request. */
    private final String ietfPolicy;
    private final String legacyPolicy;

    RateLimitHeaders(List<Style> styles, RateLimitPolicy policy) {
        this.styles = List.copyOf(styles);
        this.ietfPolicy = policy.limits().stream()
                .map(limit -> quoted(limit.name()) + ";q=" + limit.limit() + ";w=" + limit.length().toSeconds())
                .collect(Collectors.joining(", "));
        this.legacyPolicy = policy.limits().stream()
                .map(limit -> limit.limit() + ";w=" + limit.length().toSeconds())
                .collect(Collectors.joining(", "));
    }

    /**
     * The limit a client must watch: the one with the fewest requests left (on a refusal, a full one), the
     * later reset breaking ties, since waiting for it satisfies the others too.
     */
    static Standing tightest(List<Standing> standings) {
        return standings.stream()
                .min(Comparator.comparingLong(Standing::remaining).thenComparing(Comparator.comparingLong(Standing::resetAtMillis).reversed()))
                .orElseThrow();
    }

    void write(List<Standing> standings, long nowMillis, VerificationContext context) {
        Standing tightest = tightest(standings);
        long resetEpoch = seconds(tightest.resetAtMillis());
        long resetIn = Math.max(0, resetEpoch - nowMillis / 1000);
        for (Style style : styles) {
            switch (style) {
                case X_RATELIMIT -> {
                    context.respondWith("X-RateLimit-Limit", Long.toString(tightest.limit().limit()));
                    context.respondWith("X-RateLimit-Remaining", Long.toString(tightest.remaining()));
                    context.respondWith("X-RateLimit-Reset", Long.toString(resetEpoch));
                }
                case IETF -> {
                    context.respondWith("RateLimit-Policy", ietfPolicy);
                    StringBuilder current = new StringBuilder(32 * standings.size());
                    for (Standing s : standings) {
                        if (!current.isEmpty()) {
                            current.append(", ");
                        }
                        current.append(quoted(s.limit().name())).append(";r=").append(s.remaining())
                                .append(";t=").append(Math.max(0, seconds(s.resetAtMillis()) - nowMillis / 1000));
                    }
                    context.respondWith("RateLimit", current.toString());
                }
                case IETF_LEGACY -> {
                    context.respondWith("RateLimit-Limit", Long.toString(tightest.limit().limit()));
                    context.respondWith("RateLimit-Remaining", Long.toString(tightest.remaining()));
                    context.respondWith("RateLimit-Reset", Long.toString(resetIn));
                    if (!styles.contains(Style.IETF)) {
                        // -06's form; with the current style on too, its RateLimit-Policy (above) is the one sent.
                        context.respondWith("RateLimit-Policy", legacyPolicy);
                    }
                }
            }
        }
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }

    /** An sf-string: policy names are configuration, but a quote or backslash must still be escaped. */
    private static String quoted(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
