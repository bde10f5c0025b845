package dev.gatehouse.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * examples/jobo.properties, seed 002's credits: X-Credits-Used and X-Credits-Remaining on every 2xx beside
 * X-RateLimit-*, sandbox calls free, and 402 in the seed's error shape once the balance is spent.
 */
@QuarkusTest
@TestProfile(ExampleFile.Jobo.class)
class JoboCreditsTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    /** "curl https://connect.jobo.world/api/jobs", through the gateway's forward-auth. */
    private static RequestSpecification jobs(String key) {
        return given().header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", "/api/jobs?q=data+engineer")
                .header("X-Api-Key", key);
    }

    @Test
    void creditHeadersOnEvery2xxSandboxCallsFreeAnd402OnceTheBalanceIsSpent() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String live = Http.createKey(session, Map.of("label", "prod", "scopes", List.of("api:access")))
                .then().statusCode(201).extract().path("rawKey");
        String sandbox = Http.createKey(session, Map.of("label", "ci", "scopes", List.of("api:access"), "environment", "test"))
                .then().statusCode(201).extract().path("rawKey");
        clock.toStartOfNext(Duration.ofMinutes(1));

        jobs(live).get("/forward-auth").then().statusCode(200)
                .header("X-Credits-Used", "1").header("X-Credits-Remaining", "999")
                .header("X-RateLimit-Limit", "100").header("X-RateLimit-Remaining", "99");
        jobs(sandbox).get("/forward-auth").then().statusCode(200)
                .header("X-Credits-Used", "0").header("X-Credits-Remaining", "999");
        for (int i = 2; i <= 1000; i++) {
            if (i % 100 == 0) {
                clock.toStartOfNext(Duration.ofMinutes(1)); // the rate limit, 100 a minute, is not what is tested here
            }
            jobs(live).get("/forward-auth").then().statusCode(200).header("X-Credits-Remaining", Integer.toString(1000 - i));
        }
        jobs(live).get("/forward-auth").then().statusCode(402).contentType(ContentType.JSON)
                .header("X-Credits-Remaining", "0")
                .body("status", equalTo(402)).body("error", equalTo("Payment Required"))
                .body("message", startsWith("Insufficient credits for this operation: it costs 1 and 0 remain"));
        jobs(sandbox).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "0");

        // The operator tops the organisation up; the next call is charged from it.
        String owner = Operator.ownerOf(email);
        Operator.topUp(owner, 50, "invoice-2026-12").statusCode(200).body("remaining", equalTo(50));
        jobs(live).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "1").header("X-Credits-Remaining", "49");

        // The starter plan has the job endpoints only: another is seed 002's 403, neither counted nor charged.
        RequestSpecification companies = given().header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", "/api/companies/42")
                .header("X-Api-Key", live);
        companies.get("/forward-auth").then().statusCode(403).contentType(ContentType.JSON)
                .body("status", equalTo(403)).body("error", equalTo("Forbidden"))
                .body("message", equalTo("Your plan does not include access to this endpoint"))
                .header("X-Credits-Remaining", org.hamcrest.Matchers.nullValue());
        Operator.putOnPlan(owner, "growth").statusCode(200);
        companies.get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "1")
                .header("X-RateLimit-Limit", "600"); // growth's own rate-limit policy
    }
}
