package dev.gatehouse.state;

import dev.gatehouse.outcome.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attempts limited under several keys at once (per account, per address, …) with the rate limits' own
 * counters ({@link WindowCounters}: atomic, exact, shared by every node through Redis, per node without it).
 * An attempt is counted <em>before</em> it is judged, so a burst of concurrent attempts cannot all pass a
 * check that only later counts them: with a limit of 5, 12 concurrent wrong passwords give five 401s and
 * seven 429s. An attempt that turns out not to count (a right password or code) is given back.
 * Sign-in, one-time codes, claim mails and agent registrations are all limited this way; each feature only
 * names its keys and limits.
 */
public final class AttemptLimits {
    /**
     * The part of a client address that limits count under: the address itself for IPv4, its /64 for IPv6,
     * since one subscriber usually holds a whole /64 and could otherwise take a fresh address per attempt.
     */
    public static String network(String address) {
        if (address == null) {
            return null;
        }
        inet.ipaddr.IPAddress ip = new inet.ipaddr.IPAddressString(address).getAddress();
        return ip != null && ip.isIPv6() && !ip.toIPv6().isIPv4Mapped()
                ? ip.toPrefixBlock(64).toCanonicalString()
                : address;
    }

    /** At most {@code max} attempts under {@code key} within one window. */
    public record Limit(String key, long max) {
    }

    private final WindowCounters counters;
    private final Clock clock;
    private final Duration window;

    public AttemptLimits(WindowCounters counters, Clock clock, Duration window) {
        this.counters = counters;
        this.clock = clock;
        // Counter windows are whole seconds, aligned to the epoch.
        this.window = Duration.ofSeconds(Math.max(1, (window.toMillis() + 999) / 1000));
    }

    /**
     * Counts one attempt under every key, unless a key is already at its limit: then nothing is counted
     * and the answer is how long until that key's window closes.
     */
    public Optional<Duration> acquire(List<Limit> limits) {
        long now = clock.millis();
        List<Limit> counted = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            WindowCounters.Decision decision = counters.acquire(limit.key(), List.of(counter(limit)), now);
            if (!decision.allowed()) {
                release(counted, now);
                return Optional.of(Duration.ofMillis(Math.max(1000, decision.standings().getFirst().resetAtMillis() - now)));
            }
            counted.add(limit);
        }
        return Optional.empty();
    }

    /**
     * {@link #acquire}, refusing the attempt past a limit: a {@link Rejection} that says {@code refusal} and
     * when to try again.
     */
    public void require(List<Limit> limits, String refusal) {
        acquire(limits).ifPresent(wait -> {
            throw Rejection.tooManyAttempts(refusal, wait, clock.instant());
        });
    }

    /** Gives back an attempt {@link #acquire} counted, because it turned out not to count. */
    public void release(List<Limit> limits) {
        release(limits, clock.millis());
    }

    private void release(List<Limit> limits, long now) {
        for (Limit limit : limits) {
            counters.release(limit.key(), List.of(counter(limit)), now);
        }
    }

    private WindowCounters.Limit counter(Limit limit) {
        return new WindowCounters.Limit(null, limit.max(), window);
    }
}
