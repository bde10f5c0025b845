package dev.gatehouse.pat;

import static dev.gatehouse.testing.Http.me;
import static dev.gatehouse.testing.Http.mintKey;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RedisCommands;
import dev.gatehouse.testing.WithRedis;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key lifecycle with Redis as shared hot state. (Other nodes hear of revocations through PostgreSQL
 * in every mode: see token.RevocationBroadcastTest and the two-node tests in nodes/.)
 */
@QuarkusTest
@TestProfile(WithRedis.class)
class RedisApiKeyLifecycleTest extends ApiKeyLifecycleContract {
    @Inject
    RedisDataSource redis;

    @Override
    String expectedHotStateMode() {
        return "redis";
    }

    /**
     * A cached verify never asks PostgreSQL, and asks Redis exactly one thing: the rate limit's script
     * (one EVALSHA; issue 8: "one round trip per request"). Both servers' own counters show it.
     */
    @Test
    void aCachedVerifyMakesNoDatabaseQueryAndOneRedisRoundTrip() {
        String rawKey = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        me(rawKey).then().statusCode(200);
        double databaseLookups = Http.metric("gatehouse_token_lookups_total{source=\"database\"}");
        double evalshaSent = Http.metric(SENT_EVALSHA);
        Map<String, Long> before = RedisCommands.calls(redis);

        for (int i = 0; i < 20; i++) {
            me(rawKey).then().statusCode(200);
        }

        assertEquals(databaseLookups, Http.metric("gatehouse_token_lookups_total{source=\"database\"}"));
        assertEquals(Map.of("evalsha", 20L), RedisCommands.sentBetween(before, RedisCommands.calls(redis)),
                "one EVALSHA per verify and nothing else");
        assertEquals(evalshaSent + 20, Http.metric(SENT_EVALSHA), "gatehouse.redis.commands counts what Redis counted");
    }

    private static final String SENT_EVALSHA = "gatehouse_redis_commands_total{command=\"evalsha\"}";

    /**
     * gatehouse.redis.commands counts the hot state's commands where they are sent too: here the revocation
     * listener's "PostgreSQL reached" mark (PSETEX, every heartbeat), as Redis itself counts it.
     */
    @Test
    void theRedisCommandsMetricCountsTheHotStatesCommandsToo() throws InterruptedException {
        String sentPsetex = "gatehouse_redis_commands_total{command=\"psetex\"}";
        double sent = Http.metric(sentPsetex);
        long counted = RedisCommands.calls(redis).getOrDefault("psetex", 0L);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        // Counted as sent before Redis has run it: wait for both, not for the metric alone.
        while ((Http.metric(sentPsetex) == sent || RedisCommands.calls(redis).getOrDefault("psetex", 0L) == counted)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Http.metric(sentPsetex) > sent, "the listener's PSETEX is counted");
        assertTrue(RedisCommands.calls(redis).getOrDefault("psetex", 0L) > counted, "and Redis ran it");
    }

    @Test
    void failedSignInsAreCountedInRedis() {
        String email = Http.newEmail();
        Http.signUp(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password!"))
                .post("/login").then().statusCode(401);
        List<String> counters = redis.key().keys("gatehouse:rl:{login-failures*");
        assertTrue(!counters.isEmpty(), "failure counters live in Redis, shared by every node");
    }
}
