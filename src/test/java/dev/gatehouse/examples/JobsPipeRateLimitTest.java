package dev.gatehouse.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** examples/jobspipe.properties: seed 004's per-second limit, its RateLimit-* names, 429 with Retry-After. */
@QuarkusTest
@TestProfile(ExampleFile.JobsPipe.class)
class JobsPipeRateLimitTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    @Test
    void perSecondLimitWithTheSeedsHeaderNames() {
        String rawKey = Http.createKey(Http.signUpSomeone(), Map.of("label", "agent", "scopes", List.of("jobs:read")))
                .then().statusCode(201).extract().path("rawKey");
        clock.toStartOfNext(Duration.ofSeconds(1));
        for (int i = 1; i <= 10; i++) {
            given().header("Authorization", "Bearer " + rawKey).get("/v1/me").then().statusCode(200)
                    .header("RateLimit-Limit", "10")
                    .header("RateLimit-Remaining", Integer.toString(10 - i))
                    .header("RateLimit-Reset", "1")
                    .header("RateLimit-Policy", "10;w=1")
                    .header("X-RateLimit-Limit", nullValue());
        }
        given().header("Authorization", "Bearer " + rawKey).get("/v1/me").then().statusCode(429)
                .header("Retry-After", "1").body("status", equalTo(429));
    }
}
