package dev.gatehouse.agent;

import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.AttemptLimits.Limit;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.token.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Brute-force limits on the claim ceremony ({@link AgentConfig.ClaimLimits}), per email and per caller
 * address. A six-digit code allows {@code otp-max-failures} guesses before it is burnt; these limits stop
 * an agent from multiplying that by starting many registrations for one person, or from one address.
 */
@ApplicationScoped
public class ClaimThrottle {
    private final AgentConfig.ClaimLimits config;
    private final AttemptLimits limits;

    ClaimThrottle(WindowCounters counters, Clock clock, AgentConfig config) {
        this.config = config.claimLimits();
        this.limits = new AttemptLimits(counters, clock, this.config.window());
    }

    /** Counts one mail about to go to {@code email}; 429 past a limit, and then nothing is sent. */
    void mailing(String email, String address) {
        limits.acquire(of("agent-claim-mails", email, config.mailsPerEmail(), address, config.mailsPerAddress()))
                .ifPresent(wait -> {
                    throw new AgentError.RateLimited("Too many claim emails", wait);
                });
    }

    /**
     * Counts a guess at a code before it is judged; 429 while guesses for {@code email} or from
     * {@code address} are at their limit, so a blocked guesser learns nothing, not even from a right code.
     */
    void guessing(String email, String address) {
        limits.acquire(guesses(email, address)).ifPresent(wait -> {
            throw new AgentError.RateLimited("Too many wrong codes", wait);
        });
    }

    /** The code was right: the guess does not count as a wrong one. */
    void guessedRight(String email, String address) {
        limits.release(guesses(email, address));
    }

    private List<Limit> guesses(String email, String address) {
        return of("agent-claim-wrong-codes", email, config.wrongCodesPerEmail(), address, config.wrongCodesPerAddress());
    }

    private static List<Limit> of(String name, String email, int perEmail, String address, int perAddress) {
        List<Limit> limits = new ArrayList<>(2);
        // Hashed, so the shared store holds no email addresses.
        limits.add(new Limit(name + ":" + TokenHash.of(email).hex(), perEmail));
        if (address != null) {
            limits.add(new Limit(name + "-from:" + AttemptLimits.network(address), perAddress));
        }
        return limits;
    }
}
