package dev.gatehouse.metering;

import static dev.gatehouse.testing.Http.me;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's names (RateLimit-Limit, -Remaining, -Reset in seconds, RateLimit-Policy), with a policy of
 * two windows at once: per second and per minute. The header reports the tighter one; a full per-second
 * window refuses even with the minute's allowance left.
 */
@QuarkusTest
@TestProfile(LegacyRateLimitHeadersTest.PerSecondAndPerMinute.class)
class LegacyRateLimitHeadersTest {
    public static class PerSecondAndPerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.rate-limits.policies.free", "3/1s,50/1m",
                    "gatehouse.rate-limits.default-policy", "free",
                    "gatehouse.rate-limits.header-styles", "ietf-legacy");
        }
    }

    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    @Test
    void theTighterWindowIsReportedAndEnforced() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        clock.toStartOfNext(Duration.ofMinutes(1)); // the start of a minute, and so of a second
        for (int i = 1; i <= 3; i++) {
            me(key).then().statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", Integer.toString(3 - i))
                    .header("RateLimit-Reset", "1")
                    .header("RateLimit-Policy", "3;w=1, 50;w=60")
                    .header("X-RateLimit-Limit", nullValue())
                    .header("RateLimit", nullValue());
        }
        me(key).then().statusCode(429).header("Retry-After", "1").body("status", equalTo(429));
        clock.advance(Duration.ofSeconds(1));
        me(key).then().statusCode(200).header("RateLimit-Remaining", "2");
    }
}
