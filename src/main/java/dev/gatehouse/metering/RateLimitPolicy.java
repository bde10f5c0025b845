package dev.gatehouse.metering;

import dev.gatehouse.state.WindowCounters.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A named set of limits, parsed once at start-up from {@code 100/1m,10/1s}. */
record RateLimitPolicy(String name, List<Limit> limits) {
    /** The documented default: 60 requests a minute per key. */
    static final String DEFAULT_SPEC = "60/1m";
    private static final Pattern LIMIT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{0,6})\\s*(s|m|h|d)\\s*");

    static RateLimitPolicy parse(String name, String spec) {
        List<Limit> limits = new ArrayList<>();
        for (String part : spec.split(",")) {
            Matcher matcher = LIMIT.matcher(part);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("gatehouse.rate-limits.policies." + name + ": '" + part.strip()
                        + "' is not <requests>/<window>, such as 100/1m or 10/1s");
            }
            long count = Long.parseLong(matcher.group(1));
            long units = matcher.group(2).isEmpty() ? 1 : Long.parseLong(matcher.group(2));
            Duration window = switch (matcher.group(3)) {
                case "s" -> Duration.ofSeconds(units);
                case "m" -> Duration.ofMinutes(units);
                case "h" -> Duration.ofHours(units);
                default -> Duration.ofDays(units);
            };
            if (count < 1 || window.isZero()) {
                throw new IllegalArgumentException("gatehouse.rate-limits.policies." + name + ": '" + part.strip()
                        + "' must allow at least one request in a window of at least one second");
            }
            limits.add(new Limit(null, count, window));
        }
        if (limits.stream().map(Limit::length).distinct().count() != limits.size()) {
            throw new IllegalArgumentException("gatehouse.rate-limits.policies." + name + ": two limits with the same window");
        }
        // Each limit's name, as the ietf headers show it: the policy's, with the window when there are several.
        List<Limit> named = limits.stream()
                .map(limit -> new Limit(limits.size() == 1 ? name : name + "-" + limit.length().toSeconds() + "s",
                        limit.limit(), limit.length()))
                .toList();
        return new RateLimitPolicy(name, named);
    }
}
