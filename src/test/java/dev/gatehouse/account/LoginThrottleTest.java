package dev.gatehouse.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.state.InProcessHotState;
import dev.gatehouse.state.InProcessWindowCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The three throttling rules, with small limits: per email and address, per address alone, per email alone. */
class LoginThrottleTest {
    /** The start of a 15-minute window, so every attempt here falls in one. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);
    private final LoginThrottle throttle = new LoginThrottle(new InProcessHotState(), new InProcessWindowCounters(), CLOCK,
            config(3, 5, 8));

    /** Whether the attempt may go ahead (to be judged, and here to fail); false when the throttle refuses it. */
    private boolean attemptFails(String email, String address) {
        try {
            throttle.attempt(email, address);
            return true;
        } catch (dev.gatehouse.outcome.Rejection refused) {
            assertEquals(dev.gatehouse.outcome.Rejection.Reason.TOO_MANY_ATTEMPTS, refused.reason());
            assertTrue(refused.retryAfter().toSeconds() >= 1 && refused.retryAt().isAfter(CLOCK.instant()));
            return false;
        }
    }

    @Test
    void anEmailFromOneAddressIsBlockedAfterItsFailures() {
        for (int i = 0; i < 3; i++) {
            assertTrue(attemptFails("a@example.test", "10.0.0.1"), "attempt " + i);
        }
        assertTrue(!attemptFails("a@example.test", "10.0.0.1"));
        assertFalse(!attemptFails("a@example.test", "10.0.0.2"), "another address is not blocked");
        assertFalse(!attemptFails("b@example.test", "10.0.0.1"), "another email is not blocked");
    }

    @Test
    void aRightPasswordGivesItsAttemptBack() {
        for (int i = 0; i < 10; i++) {
            assertTrue(attemptFails("a@example.test", "10.0.0.1"), "attempt " + i);
            throttle.succeeded("a@example.test", "10.0.0.1");
        }
    }

    @Test
    void oneAddressTryingManyEmailsIsBlocked() {
        for (int i = 0; i < 5; i++) {
            throttle.attempt("user" + i + "@example.test", "10.0.0.9");
        }
        assertTrue(!attemptFails("someone-new@example.test", "10.0.0.9"));
        assertFalse(!attemptFails("someone-new@example.test", "10.0.0.8"));
    }

    /** One subscriber usually holds a whole IPv6 /64: its addresses count as one. */
    @Test
    void addressesOfOneIpv6SlashSixtyFourCountTogether() {
        for (int i = 0; i < 5; i++) {
            throttle.attempt("v6-user" + i + "@example.test", "2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertTrue(!attemptFails("someone-new@example.test", "2001:db8:1:2:ffff::1"));
        assertFalse(!attemptFails("someone-new@example.test", "2001:db8:1:3::1"), "the next /64 is another subscriber");
    }

    @Test
    void manyAddressesGuessingAtOneAccountAreBlockedTogether() {
        for (int i = 0; i < 8; i++) {
            assertTrue(attemptFails("target@example.test", "10.0.1." + i), "attempt " + i);
        }
        assertTrue(!attemptFails("target@example.test", "10.0.2.1"), "a fresh address is blocked on this account");
        assertFalse(!attemptFails("other@example.test", "10.0.2.1"), "other accounts are not");
        throttle.unlock("target@example.test");
        assertFalse(!attemptFails("target@example.test", "10.0.2.1"), "an operator's unlock lifts it");
    }

    /** Issue 10 finding 1: attempts are counted before they are judged, so a concurrent burst cannot pass the limit. */
    @Test
    void concurrentAttemptsAreCountedExactly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                attempts.add(() -> attemptFails("burst@example.test", "10.0.3.1"));
            }
            long let = 0;
            for (Future<Boolean> result : pool.invokeAll(attempts)) {
                let += result.get() ? 1 : 0;
            }
            assertEquals(3, let, "exactly the limit is let through");
        } finally {
            pool.shutdownNow();
        }
    }

    private static AccountConfig config(int perPair, int perAddress, int perAccount) {
        return new AccountConfig() {
            @Override
            public Session session() {
                return null;
            }

            @Override
            public Login login() {
                return new Login() {
                    @Override
                    public int maxFailures() {
                        return perPair;
                    }

                    @Override
                    public int maxFailuresPerAddress() {
                        return perAddress;
                    }

                    @Override
                    public int maxFailuresPerAccount() {
                        return perAccount;
                    }

                    @Override
                    public Duration failureWindow() {
                        return Duration.ofMinutes(15);
                    }
                };
            }

            @Override
            public Passwords passwords() {
                return null;
            }

            @Override
            public Demo demo() {
                return null;
            }

            @Override
            public Signup signup() {
                return null;
            }
        };
    }
}
