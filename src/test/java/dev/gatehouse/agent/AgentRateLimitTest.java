package dev.gatehouse.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /agent/auth is limited per address and per registration type (specs.md §1.6), answering 429 rate_limited. */
@QuarkusTest
@TestProfile(AgentRateLimitTest.SmallLimits.class)
class AgentRateLimitTest implements dev.gatehouse.testing.FreshWindow {
    /** Attempt limits count in windows aligned to the epoch. */
    @Override
    public java.time.Duration window() {
        return java.time.Duration.ofHours(1);
    }


    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.agent.rate-limits.anonymous-per-address", "3",
                    "gatehouse.agent.rate-limits.identity-assertion-per-address", "2");
        }
    }

    @Test
    void registrationsPastTheLimitGet429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body(Map.of("type", "anonymous")).post("/agent/auth").then().statusCode(200);
        }
        given().contentType("application/json").body(Map.of("type", "anonymous")).post("/agent/auth").then()
                .statusCode(429)
                .header("Retry-After", not(emptyOrNullString()))
                .body("error", equalTo("rate_limited"));

        // Identity assertions have their own budget.
        Map<String, String> assertion = Map.of("type", "identity_assertion", "assertion_type", "verified_email",
                "assertion", "a@example.test", "requested_credential_type", "api_key");
        for (int i = 0; i < 2; i++) {
            given().contentType("application/json").body(assertion).post("/agent/auth").then().statusCode(200);
        }
        given().contentType("application/json").body(assertion).post("/agent/auth").then().statusCode(429)
                .body("error", equalTo("rate_limited"));
    }
}
