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

    RateLimitHeaders(List<Style> styles) {
        this.styles = List.copyOf(styles);
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
                    context.respondWith("RateLimit-Policy", standings.stream()
                            .map(s -> quoted(s.limit().name()) + ";q=" + s.limit().limit() + ";w=" + s.limit().length().toSeconds())
                            .collect(Collectors.joining(", ")));
                    context.respondWith("RateLimit", standings.stream()
                            .map(s -> quoted(s.limit().name()) + ";r=" + s.remaining() + ";t="
                                    + Math.max(0, seconds(s.resetAtMillis()) - nowMillis / 1000))
                            .collect(Collectors.joining(", ")));
                }
                case IETF_LEGACY -> {
                    context.respondWith("RateLimit-Limit", Long.toString(tightest.limit().limit()));
                    context.respondWith("RateLimit-Remaining", Long.toString(tightest.remaining()));
                    context.respondWith("RateLimit-Reset", Long.toString(resetIn));
                    if (!styles.contains(Style.IETF)) {
                        // -06's form; with the current style on too, its RateLimit-Policy (above) is the one sent.
                        context.respondWith("RateLimit-Policy", standings.stream()
                                .map(s -> s.limit().limit() + ";w=" + s.limit().length().toSeconds())
                                .collect(Collectors.joining(", ")));
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
