package dev.gatehouse.usage;

import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.pat.ApiKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person's view of one key's use: uses per UTC day (zero-filled), in the rolling 24 hours, and the
 * addresses it was last used from. Counts are those flushed so far (within the flush interval of now).
 */
@ApplicationScoped
public class KeyUsage {
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 90;

    private final ApiKeys keys;
    private final UsageHistory history;
    private final Clock clock;

    KeyUsage(ApiKeys keys, UsageHistory history, Clock clock) {
        this.keys = keys;
        this.history = history;
        this.clock = clock;
    }

    @RegisterForReflection
    public record Day(String day, long uses) {
    }

    @RegisterForReflection
    public record Report(UUID keyId, List<Day> days, long last24h, List<UsageHistory.RecentAddress> recentAddresses) {
    }

    /**
     * @param days as sent: null for the default (30), otherwise a whole number from 1 to 90
     * @throws Rejection not found when the key is not the person's; invalid input for a bad {@code days}
     */
    public Report of(UUID accountId, UUID keyId, String days) {
        // Ownership first: someone else's key is "not found" whatever else the request says.
        keys.get(accountId, keyId);
        int count = parseDays(days);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(count - 1L);
        Instant windowStart = UsageHistory.windowStart(now);
        Instant firstDay = first.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant from = windowStart.isBefore(firstDay) ? windowStart : firstDay;

        Map<LocalDate, Long> perDay = new LinkedHashMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            perDay.put(day, 0L);
        }
        long last24h = 0;
        for (UsageHistory.HourCount hour : history.hours(keyId, from)) {
            perDay.computeIfPresent(LocalDate.ofInstant(hour.hour(), ZoneOffset.UTC), (day, uses) -> uses + hour.uses());
            // Hours after now exist only if another node's clock runs ahead; they are not "the last 24 hours".
            if (!hour.hour().isBefore(windowStart) && !hour.hour().isAfter(now)) {
                last24h += hour.uses();
            }
        }
        List<Day> series = new ArrayList<>(perDay.size());
        perDay.forEach((day, uses) -> series.add(new Day(day.toString(), uses)));
        return new Report(keyId, series, last24h, history.recentAddresses(keyId));
    }

    private static int parseDays(String days) {
        if (days == null) {
            return DEFAULT_DAYS;
        }
        String value = days;
        // At most two digits: no overflow, no " 5", no "+5", no "1e1"; the range check does the rest.
        if (!value.matches("[0-9]{1,2}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_DAYS) {
            throw Rejection.invalid("days must be a whole number from 1 to " + MAX_DAYS);
        }
        return Integer.parseInt(value);
    }
}
