package dev.gatehouse.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** examples/jobo.properties: seed 002's X-RateLimit-* headers per key, and its 429 at limit + 1. */
@QuarkusTest
@TestProfile(ExampleFile.Jobo.class)
class JoboRateLimitTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    @Test
    void xRateLimitHeadersOnEveryAnswerAnd429AtTheHundredAndFirst() {
        String rawKey = Http.createKey(Http.signUpSomeone(), Map.of("label", "jobo", "scopes", List.of("api:access")))
                .then().statusCode(201).extract().path("rawKey");
        clock.toStartOfNext(Duration.ofMinutes(1));
        for (int i = 1; i <= 100; i++) {
            given().header("X-Api-Key", rawKey).get("/v1/me").then().statusCode(200)
                    .header("X-RateLimit-Limit", "100")
                    .header("X-RateLimit-Remaining", Integer.toString(100 - i))
                    .header("RateLimit", nullValue());
        }
        given().header("X-Api-Key", rawKey).get("/v1/me").then().statusCode(429).contentType(ContentType.JSON)
                .header("X-RateLimit-Remaining", "0")
                .body("status", equalTo(429)).body("error", equalTo("Too Many Requests"));
    }
}
