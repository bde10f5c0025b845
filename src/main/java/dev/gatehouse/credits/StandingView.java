package dev.gatehouse.credits;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * An owner's plan and balance this month, as {@code GET /settings/usage} and the admin API show it.
 * {@code givenAway} (use that could not be charged) is for operators only.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StandingView(UUID owner, String plan, String unit, boolean charged, String period, Long allowance,
        Long topUps, Long used, Long remaining, Instant resetsAt, Long givenAway) {

    /** Credits available this month (allowance and top-ups), for pages. */
    public long grantedThisMonth() {
        return charged ? allowance + topUps : 0;
    }

    /** The reset's date (UTC), for pages. */
    public String resetsOn() {
        return resetsAt == null ? "" : resetsAt.atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    public static StandingView of(Credits.Standing standing, boolean forOperator) {
        boolean charged = standing.plan().charges();
        return new StandingView(standing.owner().id(), standing.plan().name(), standing.plan().unit().name().toLowerCase(
                java.util.Locale.ROOT), charged, standing.month().toString(),
                charged ? standing.allowance() : null, charged ? standing.topUps() : null,
                charged ? standing.spent() : null, charged ? standing.remaining() : null,
                charged ? standing.resetsAt() : null, forOperator && charged ? standing.givenAway() : null);
    }
}
