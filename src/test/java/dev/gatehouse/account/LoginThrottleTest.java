package dev.gatehouse.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.state.InProcessHotState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Both throttling rules, with small limits: per email and address, and per address alone. */
class LoginThrottleTest {
    private final LoginThrottle throttle = new LoginThrottle(new InProcessHotState(), config(3, 5));

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

    private static AccountConfig config(int perPair, int perAddress) {
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
