package dev.gatehouse.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.StoppableRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Redis killed, sign-in never fails because of it (issue 9 §4): the throttle counts on this node
 * (gatehouse_hotstate_shared says so), still stops a guesser, and readiness says Redis is unreachable
 * while staying UP.
 */
@QuarkusTest
@TestProfile(StoppableRedis.Profile.class)
class SignInWithoutRedisTest implements dev.gatehouse.testing.FreshWindow {
    /** Attempt limits count in windows aligned to the epoch. */
    @Override
    public java.time.Duration window() {
        return java.time.Duration.ofMinutes(15);
    }


    private static Response signIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login");
    }

    @Test
    void signInAndItsThrottleWorkWithRedisGone() {
        String email = Http.newEmail();
        Http.signUp(email);
        signIn(email, Http.PASSWORD).then().statusCode(200);
        assertEquals(1.0, Http.metric("gatehouse_hotstate_shared"));

        StoppableRedis.kill();
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(signIn(email, "guess " + i).statusCode());
            }
            assertFalse(statuses.stream().anyMatch(status -> status >= 500), "never a 5xx: " + statuses);
            assertTrue(statuses.contains(401) && statuses.getLast() == 429, "wrong guesses, then throttled on this node: " + statuses);
            assertEquals(0.0, Http.metric("gatehouse_hotstate_shared"), "counting on this node, and saying so");
            dev.gatehouse.testing.Management.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'Hot state' }.data.redis", org.hamcrest.Matchers.equalTo("unreachable"));
            String other = Http.newEmail();
            Http.signUp(other);
            signIn(other, Http.PASSWORD).then().statusCode(200);
        } finally {
            StoppableRedis.startAgain();
        }
    }
}
