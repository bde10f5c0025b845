package dev.gatehouse.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Attempts counted under several keys at once (per account, per address, …) in fixed windows of
 * {@link HotState}, so every node sees the same counts. Sign-in, one-time codes, claim mails and agent
 * registrations are all limited this way; each feature only names its keys and limits.
 */
public final class AttemptLimits {
    /** At most {@code max} attempts under {@code key} within one window. */
    public record Limit(String key, long max) {
    }

    private final HotState state;
    private final Duration window;

    public AttemptLimits(HotState state, Duration window) {
        this.state = state;
        this.window = window;
    }

    /**
     * For attempts counted only when they fail (a wrong password or code): how long the caller must wait
     * because some key has already reached its limit. Asked before the attempt is judged, so a blocked
     * caller learns nothing, not even from a right guess.
     */
    public Optional<Duration> blockedFor(List<Limit> limits) {
        Duration longest = null;
        for (Limit limit : limits) {
            HotState.WindowCount count = state.peek(limit.key());
            if (count.count() >= limit.max() && (longest == null || count.remaining().compareTo(longest) > 0)) {
                longest = count.remaining();
            }
        }
        return Optional.ofNullable(longest);
    }

    /** Counts one failed attempt under every key. */
    public void failed(List<Limit> limits) {
        for (Limit limit : limits) {
            state.count(limit.key(), window);
        }
    }

    /**
     * For attempts counted whether or not they succeed (a registration, a mail sent): counts this one under
     * every key, and says how long to wait if it went past a limit.
     */
    public Optional<Duration> countAndCheck(List<Limit> limits) {
        Duration longest = null;
        for (Limit limit : limits) {
            HotState.WindowCount count = state.count(limit.key(), window);
            if (count.count() > limit.max() && (longest == null || count.remaining().compareTo(longest) > 0)) {
                longest = count.remaining();
            }
        }
        return Optional.ofNullable(longest);
    }

    /** Forgets the counts under {@code key}. */
    public void clear(String key) {
        state.clear(key);
    }
}
