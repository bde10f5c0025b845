package dev.gatehouse.metering;

import static dev.gatehouse.testing.Http.me;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per key (seed 002: "applied per API key"), on one node with no Redis: the documented
 * default header styles ({@code x-ratelimit} and {@code ietf}) on every answer, 429 at exactly limit + 1
 * with seed 002's body and {@code Retry-After}, and a fresh window after the reset.
 */
@QuarkusTest
@TestProfile(RateLimitTest.FivePerMinute.class)
class RateLimitTest {
    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.rate-limits.policies.default", "5/1m");
        }
    }

    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    @Test
    void theSixthRequestInAMinuteIsRefusedWithSeed002sBodyAndEveryStyleOfHeader() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        clock.toStartOfNext(Duration.ofMinutes(1));
        long windowEnd = (clock.instant().toEpochMilli() / 60_000 + 1) * 60;
        for (int i = 1; i <= 5; i++) {
            me(key).then().statusCode(200)
                    .header("X-RateLimit-Limit", "5")
                    .header("X-RateLimit-Remaining", Integer.toString(5 - i))
                    .header("X-RateLimit-Reset", Long.toString(windowEnd))
                    .header("RateLimit-Policy", "\"default\";q=5;w=60")
                    .header("RateLimit", org.hamcrest.Matchers.startsWith("\"default\";r=" + (5 - i) + ";t="));
        }
        Response refused = me(key);
        refused.then().statusCode(429)
                .header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", Long.toString(windowEnd))
                .header("RateLimit-Policy", "\"default\";q=5;w=60")
                .body("status", equalTo(429))
                .body("error", equalTo("Too Many Requests"))
                .body("message", equalTo("Rate limit exceeded. Retry after " + windowEnd))
                .body("retryAfter", equalTo((int) windowEnd));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After in seconds: " + retryAfter);
        // A refused request is not counted: still refused, still at zero, not below.
        me(key).then().statusCode(429).header("X-RateLimit-Remaining", "0");

        // Another key of the same person has its own limit.
        me(Http.mintRawKey(Http.signUpSomeone(), "profile:read")).then().statusCode(200).header("X-RateLimit-Remaining", "4");

        clock.advance(Duration.ofMinutes(1));
        me(key).then().statusCode(200).header("X-RateLimit-Remaining", "4");
    }

    @Test
    void requestsRefusedBeforeMeteringAreNotCounted() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        clock.toStartOfNext(Duration.ofMinutes(1));
        // userinfo needs openid, which the key lacks: refused at the scope check, before the rate limit.
        for (int i = 0; i < 7; i++) {
            io.restassured.RestAssured.given().header("Authorization", "Bearer " + key).get("/oauth2/userinfo")
                    .then().statusCode(403).header("X-RateLimit-Remaining", org.hamcrest.Matchers.nullValue());
        }
        for (int i = 0; i < 5; i++) {
            me(key).then().statusCode(200);
        }
        me(key).then().statusCode(429);
    }
}
