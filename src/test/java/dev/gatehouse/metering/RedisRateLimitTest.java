package dev.gatehouse.metering;

import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.RedisCommands;
import dev.gatehouse.testing.StoppableRedis;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits counted in Redis (one Lua script, one round trip), and what a Redis outage does: the node
 * counts on its own, says so in a metric, and never answers 5xx; when Redis returns, counting is shared again.
 */
@QuarkusTest
@TestProfile(RedisRateLimitTest.FivePerMinuteInRedis.class)
class RedisRateLimitTest {
    public static class FivePerMinuteInRedis extends StoppableRedis.Profile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.rate-limits.policies.default", "5/1m");
        }
    }

    @Inject
    MovableClock clock;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void putBack() {
        clock.reset();
    }

    @Test
    void theLimitIsCountedInRedisAndSurvivesARedisOutageWithoutA5xx() throws Exception {
        var key = Http.mintKey(Http.signUpSomeone(), List.of("profile:read"));
        String rawKey = (String) key.get("rawKey");
        clock.toStartOfNext(Duration.ofMinutes(1));
        for (int i = 1; i <= 5; i++) {
            me(rawKey).then().statusCode(200).header("X-RateLimit-Remaining", Integer.toString(5 - i));
        }
        me(rawKey).then().statusCode(429);
        // One round trip per request: EVALSHA, whose script does its GETs (and INCRs) inside Redis.
        Map<String, Long> before = RedisCommands.calls(redis);
        me(rawKey).then().statusCode(429);
        me(rawKey).then().statusCode(429);
        assertEquals(Map.of("evalsha", 2L), RedisCommands.sentBetween(before, RedisCommands.calls(redis)));
        List<String> counters = redis.key().keys("gatehouse:rl:{" + key.get("id") + "}:60:*");
        assertEquals(1, counters.size(), "the count lives in Redis, where every node sees it");
        assertEquals(5L, Long.parseLong(redis.value(String.class).get(counters.getFirst())));
        assertEquals(1.0, Http.metric("gatehouse_ratelimit_shared"));

        StoppableRedis.kill();
        try {
            String during = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(me(during).then().extract().statusCode());
            }
            assertFalse(statuses.stream().anyMatch(status -> status >= 500), "never a 5xx with Redis down: " + statuses);
            assertEquals(List.of(200, 200, 200, 200, 200, 429, 429, 429), statuses, "the node counts on its own");
            assertTrue(Http.metric("gatehouse_ratelimit_local_total") >= 8);
            assertEquals(0.0, Http.metric("gatehouse_ratelimit_shared"));
            dev.gatehouse.testing.Management.given().get("/q/health/ready").then().statusCode(200);
        } finally {
            StoppableRedis.startAgain();
        }

        // Redis is tried again a second after the failure; a new window starts shared again.
        clock.advance(Duration.ofMinutes(1));
        String after = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Http.metric("gatehouse_ratelimit_shared") != 1.0 && System.nanoTime() < deadline) {
            me(after).then().statusCode(200);
            Thread.sleep(200);
        }
        assertEquals(1.0, Http.metric("gatehouse_ratelimit_shared"), "counting is shared again once Redis answers");
        assertFalse(redis.key().keys("gatehouse:rl:*").isEmpty());
    }
}
