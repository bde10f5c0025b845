package dev.gatehouse.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.state.InProcessHotState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Both throttling rules, with small limits: per email and address, and per address alone. */
class LoginThrottleTest {
    private final LoginThrottle throttle = new LoginThrottle(new InProcessHotState(), config(3, 5, 8));

    @Test
    void anEmailFromOneAddressIsBlockedAfterItsFailuresAndClearedBySuccess() {
        for (int i = 0; i < 3; i++) {
            assertFalse(throttle.blockedFor("a@example.test", "10.0.0.1").isPresent());
            throttle.failed("a@example.test", "10.0.0.1");
        }
        assertTrue(throttle.blockedFor("a@example.test", "10.0.0.1").isPresent());
        assertFalse(throttle.blockedFor("a@example.test", "10.0.0.2").isPresent(), "another address is not blocked");
        assertFalse(throttle.blockedFor("b@example.test", "10.0.0.1").isPresent(), "another email is not blocked");
    }

    @Test
    void oneAddressTryingManyEmailsIsBlocked() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i + "@example.test", "10.0.0.9");
        }
        assertTrue(throttle.blockedFor("someone-new@example.test", "10.0.0.9").isPresent());
        assertFalse(throttle.blockedFor("someone-new@example.test", "10.0.0.8").isPresent());
    }

    @Test
    void manyAddressesGuessingAtOneAccountAreBlockedTogether() {
        for (int i = 0; i < 8; i++) {
            String address = "10.0.1." + i;
            assertFalse(throttle.blockedFor("target@example.test", address).isPresent(), "attempt " + i);
            throttle.failed("target@example.test", address);
        }
        assertTrue(throttle.blockedFor("target@example.test", "10.0.2.1").isPresent(), "a fresh address is blocked on this account");
        assertFalse(throttle.blockedFor("other@example.test", "10.0.2.1").isPresent(), "other accounts are not");
        throttle.unlock("target@example.test");
        assertFalse(throttle.blockedFor("target@example.test", "10.0.2.1").isPresent(), "an operator's unlock lifts it");
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
        };
    }
}
