package dev.gatehouse.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** examples/jobspipe.properties, seed 004: "Free tier: 5,000 requests/month", then "402 - monthly request quota exceeded". */
@QuarkusTest
@TestProfile(ExampleFile.JobsPipe.class)
class JobsPipeQuotaTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    private static RequestSpecification search(String key) {
        return given().header("X-Forwarded-Method", "POST").header("X-Forwarded-Uri", "/v1/jobs/search")
                .header("Authorization", "Bearer " + key);
    }

    @Test
    void theFreeTiersFiveThousandRequestsAMonthThen402WithTheRateLimitHeaders() {
        String key = Http.createKey(Http.signUpSomeone(), Map.of("label", "agent", "scopes", List.of("jobs:read")))
                .then().statusCode(201).extract().path("rawKey");
        clock.toStartOfNext(Duration.ofSeconds(1));
        for (int i = 1; i <= 5000; i++) {
            if (i % 10 == 1) {
                clock.toStartOfNext(Duration.ofSeconds(1)); // within the rate limit, 10 a second
            }
            search(key).get("/forward-auth").then().statusCode(200).header("X-Credits-Remaining", Integer.toString(5000 - i));
        }
        clock.toStartOfNext(Duration.ofSeconds(1));
        search(key).get("/forward-auth").then().statusCode(402)
                .header("RateLimit-Limit", "10").header("RateLimit-Policy", notNullValue())
                .body("status", equalTo(402))
                .body("message", startsWith("Monthly request quota exceeded for your plan (5000 requests). It resets at "));
    }
}
