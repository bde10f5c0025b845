package dev.gatehouse.account;

import dev.gatehouse.state.HotState;
import dev.gatehouse.token.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows down password guessing: after {@code max-failures} failed sign-ins for one email from one
 * address, or {@code max-failures-per-address} from one address, further attempts are refused until the
 * window closes. Counters live in {@link HotState}, so every node sees them. Unknown and known emails are
 * counted alike, so throttling reveals nothing about which accounts exist.
 */
@ApplicationScoped
public class LoginThrottle {
    private final HotState state;
    private final AccountConfig.Login config;

    LoginThrottle(HotState state, AccountConfig config) {
        this.state = state;
        this.config = config.login();
    }

    /** How long the caller must wait, when it must. */
    public Optional<Duration> blockedFor(String email, String address) {
        HotState.WindowCount pair = state.peek(pairKey(email, address, generation(email)));
        if (pair.count() >= config.maxFailures()) {
            return Optional.of(pair.remaining());
        }
        HotState.WindowCount fromAddress = state.peek(addressKey(address));
        if (fromAddress.count() >= config.maxFailuresPerAddress()) {
            return Optional.of(fromAddress.remaining());
        }
        return Optional.empty();
    }

    public void failed(String email, String address) {
        state.count(pairKey(email, address, generation(email)), config.failureWindow());
        state.count(addressKey(address), config.failureWindow());
    }

    public void succeeded(String email, String address) {
        state.clear(pairKey(email, address, generation(email)));
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

    private long generation(String email) {
        return state.peek(generationKey(email)).count();
    }

    private static String pairKey(String email, String address, long generation) {
        // Hashed, so the shared store holds no email addresses.
        return "login-failures:" + TokenHash.of(email + "\n" + address + "\n" + generation).hex();
    }

    private static String generationKey(String email) {
        return "login-unlocked:" + TokenHash.of(email).hex();
    }

    private static String addressKey(String address) {
        return "login-failures-from:" + address;
    }
}
