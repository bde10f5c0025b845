package dev.gatehouse.account;

import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.AttemptLimits.Limit;
import dev.gatehouse.state.HotState;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.token.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Slows down password guessing. Sign-ins are counted three ways within a window: per email and address
 * ({@code max-failures}), per address whatever the email ({@code max-failures-per-address}: one address
 * guessing at many accounts), and per email whatever the address ({@code max-failures-per-account}: many
 * addresses guessing at one account). Each attempt is counted before its password is checked, atomically
 * ({@link AttemptLimits}), so concurrent guesses cannot slip past the limit; a right password gives its
 * attempt back. Once any count reaches its limit, further attempts get 429 until its window closes, even
 * with the right password. Unknown and known emails are counted alike, so throttling reveals nothing about
 * which accounts exist.
 */
@ApplicationScoped
public class LoginThrottle {
    private final HotState state;
    private final AccountConfig.Login config;
    private final AttemptLimits limits;

    LoginThrottle(HotState state, WindowCounters counters, Clock clock, AccountConfig config) {
        this.state = state;
        this.config = config.login();
        this.limits = new AttemptLimits(counters, clock, this.config.failureWindow());
    }

    /** Counts a sign-in attempt before its password is checked; refused ({@code TOO_MANY_ATTEMPTS}) past a limit. */
    public void attempt(String email, String address) {
        limits.require(limitsFor(email, address), "Too many failed sign-in attempts; try again later");
    }

    /** The password was right: the attempt does not count as a failure. */
    public void succeeded(String email, String address) {
        limits.release(limitsFor(email, address));
    }

    /**
     * An operator lifts the throttle on one account's email, from every address at once: its failures are
     * counted under a new generation from now on, and those counted before are never read again. (The
     * per-address counts stay: they throttle an address guessing at many accounts.)
     */
    public void unlock(String email) {
        // The generation outlives every count made under the previous one.
        state.count(generationKey(email), config.failureWindow().multipliedBy(2));
    }

    private List<Limit> limitsFor(String email, String address) {
        long generation = generation(email);
        return List.of(
                new Limit(pairKey(email, address, generation), config.maxFailures()),
                new Limit(addressKey(address), config.maxFailuresPerAddress()),
                new Limit(accountKey(email, generation), config.maxFailuresPerAccount()));
    }

    private long generation(String email) {
        return state.peek(generationKey(email)).count();
    }

    // Emails are hashed, so the shared store holds none.
    private static String pairKey(String email, String address, long generation) {
        return "login-failures:" + TokenHash.of(email + "\n" + address + "\n" + generation).hex();
    }

    private static String accountKey(String email, long generation) {
        return "login-failures-of:" + TokenHash.of(email + "\n" + generation).hex();
    }

    private static String generationKey(String email) {
        return "login-unlocked:" + TokenHash.of(email).hex();
    }

    private static String addressKey(String address) {
        return "login-failures-from:" + AttemptLimits.network(address);
    }
}
