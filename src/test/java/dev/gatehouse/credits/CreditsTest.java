package dev.gatehouse.credits;

import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.BalanceOfRecord;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.Operator;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quotas and credits through HTTP (issue 8 §3; seeds 002, 003, 004), on one node with in-process hot
 * counters and PostgreSQL as the balance of record.
 */
@QuarkusTest
@TestProfile(CreditsProfile.class)
class CreditsTest {
    @Inject
    MovableClock clock;

    @Inject
    AgroalDataSource database;

    @AfterEach
    void putBack() {
        clock.reset();
    }

    static Response forwardAuth(String key, String path) {
        return given().header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", path)
                .header("Authorization", "Bearer " + key).get("/forward-auth");
    }

    private String resetOfThisMonth() {
        return YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)).plusMonths(1).atDay(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC).toString();
    }

    @Test
    void everyAnswerCarriesItsCostAndWhatRemainsThen402ThenATopUpIsSpentToo() throws Exception {
        Operator.Customer person = Operator.signUpCustomer();
        String key = Http.mintRawKey(person.session(), "profile:read");
        for (int i = 1; i <= 10; i++) {
            me(key).then().statusCode(200).header("X-Credits-Used", "1").header("X-Credits-Remaining", Integer.toString(10 - i));
        }
        // Seed 003's 402, in seed 002's error shape, saying what ran out and when it resets.
        me(key).then().statusCode(402)
                .body("status", equalTo(402)).body("error", equalTo("Payment Required"))
                .body("message", containsString("Insufficient credits for this operation: it costs 1 and 0 remain"))
                .body("message", containsString("resets at " + resetOfThisMonth()))
                .header("X-Credits-Remaining", "0").header("X-Credits-Used", nullValue());

        Operator.topUp(person.owner(), 3, "payment-1").statusCode(200).body("topUps", equalTo(3)).body("remaining", equalTo(3));
        // A retried top-up changes nothing; the same reference for another amount is a conflict.
        Operator.topUp(person.owner(), 3, "payment-1").statusCode(200).body("topUps", equalTo(3)).body("remaining", equalTo(3));
        Operator.topUp(person.owner(), 5, "payment-1").statusCode(409).body("status", equalTo(409));
        for (int i = 1; i <= 3; i++) {
            me(key).then().statusCode(200).header("X-Credits-Used", "1").header("X-Credits-Remaining", Integer.toString(3 - i));
        }
        me(key).then().statusCode(402);

        // The balance of record: every charge written to PostgreSQL once, none twice.
        assertEquals(13, awaitSpent(person.owner(), 13));
        Thread.sleep(600); // three more reconcile rounds: nothing is written again
        assertEquals(13, spentInDatabase(person.owner()));
        Operator.standing(person.owner()).statusCode(200).body("plan", equalTo("starter")).body("allowance", equalTo(10))
                .body("used", equalTo(13)).body("remaining", equalTo(0)).body("givenAway", equalTo(0));
    }

    @Test
    void sandboxKeysAreNeverChargedEvenWithNothingLeft() {
        Operator.Customer person = Operator.signUpCustomer();
        String live = Http.mintRawKey(person.session(), "profile:read");
        String sandbox = Http.createKey(person.session(), Map.of("label", "ci", "scopes", List.of("profile:read"),
                "environment", "test")).then().statusCode(201).extract().path("rawKey");
        me(sandbox).then().statusCode(200).header("X-Credits-Used", "0").header("X-Credits-Remaining", "10");
        forwardAuth(live, "/api/dear").then().statusCode(200).header("X-Credits-Used", "4").header("X-Credits-Remaining", "6");
        forwardAuth(live, "/api/dear").then().statusCode(200).header("X-Credits-Remaining", "2");
        forwardAuth(live, "/api/dear").then().statusCode(402).body("message", containsString("it costs 4 and 2 remain"));
        for (int i = 0; i < 3; i++) {
            forwardAuth(sandbox, "/api/dear").then().statusCode(200).header("X-Credits-Used", "0").header("X-Credits-Remaining", "2");
        }
        forwardAuth(live, "/api/cheap").then().statusCode(200).header("X-Credits-Remaining", "1");
    }

    @Test
    void aPlanPricesRoutesAndAPlanChangeAppliesThisMonth() {
        Operator.Customer person = Operator.signUpCustomer();
        String key = Http.mintRawKey(person.session(), "profile:read");
        forwardAuth(key, "/api/dear").then().statusCode(200).header("X-Credits-Used", "4").header("X-Credits-Remaining", "6");
        Operator.putOnPlan(person.owner(), "pro").statusCode(200).body("plan", equalTo("pro")).body("allowance", equalTo(100))
                .body("remaining", equalTo(96));
        forwardAuth(key, "/api/dear").then().statusCode(200).header("X-Credits-Used", "2").header("X-Credits-Remaining", "94");
        forwardAuth(key, "/api/cheap").then().statusCode(200).header("X-Credits-Used", "1").header("X-Credits-Remaining", "93");
        for (int i = 0; i < 5; i++) {
            forwardAuth(key, "/api/dear").then().statusCode(200);
        }
        Operator.topUp(person.owner(), 5, "payment-pro").statusCode(200).body("remaining", equalTo(88));
        // Back to a smaller plan after spending more of the allowance than it grants (17 > 10): what was spent
        // stays spent (the month's allowance is what was spent of it), and the bought top-up stays.
        Operator.putOnPlan(person.owner(), "starter").statusCode(200).body("allowance", equalTo(17)).body("topUps", equalTo(5))
                .body("used", equalTo(17)).body("remaining", equalTo(5));
        forwardAuth(key, "/api/cheap").then().statusCode(200).header("X-Credits-Remaining", "4");
        forwardAuth(key, "/api/dear").then().statusCode(200).header("X-Credits-Used", "4").header("X-Credits-Remaining", "0");
        forwardAuth(key, "/api/cheap").then().statusCode(402);
        // Up again: the new allowance counts from what was spent.
        Operator.putOnPlan(person.owner(), "pro").statusCode(200).body("allowance", equalTo(100)).body("remaining", equalTo(83));
    }

    @Test
    void aRequestQuotaCountsRequestsAndResetsAtTheStartOfTheMonthUtc() throws Exception {
        clock.moveTo(Instant.parse("2027-01-31T23:59:40Z"));
        Operator.Customer person = Operator.signUpCustomer();
        Operator.putOnPlan(person.owner(), "quota").statusCode(200).body("unit", equalTo("requests"));
        String key = Http.mintRawKey(person.session(), "profile:read");
        for (int i = 1; i <= 3; i++) {
            // The dear route costs 4 credits, but a request quota counts requests.
            forwardAuth(key, "/api/dear").then().statusCode(200).header("X-Credits-Used", "1")
                    .header("X-Credits-Remaining", Integer.toString(3 - i));
        }
        forwardAuth(key, "/api/dear").then().statusCode(402)
                .body("message", equalTo("Monthly request quota exceeded for your plan (3 requests). It resets at 2027-02-01T00:00:00Z"));
        clock.moveTo(Instant.parse("2027-02-01T00:00:01Z"));
        forwardAuth(key, "/api/dear").then().statusCode(200).header("X-Credits-Remaining", "2");
        assertEquals(3, awaitSpent(person.owner(), YearMonth.of(2027, 1), 3));
        assertEquals(1, awaitSpent(person.owner(), YearMonth.of(2027, 2), 1));
    }

    @Test
    void concurrentRequestsNeverSpendMoreThanTheBalance() throws Exception {
        Operator.Customer person = Operator.signUpCustomer();
        String key = Http.mintRawKey(person.session(), "profile:read");
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                answers.add(callers.submit(() -> me(key).then().extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertEquals(10, Collections.frequency(statuses, 200), statuses.toString());
            assertEquals(20, Collections.frequency(statuses, 402), statuses.toString());
        } finally {
            callers.shutdown();
        }
        assertEquals(10, awaitSpent(person.owner(), 10));
    }

    @Test
    void thePersonSeesPlanBalanceAndResetDate() {
        Operator.Customer person = Operator.signUpCustomer();
        String key = Http.mintRawKey(person.session(), "profile:read");
        me(key).then().statusCode(200);
        Http.asPerson(person.session()).get("/settings/usage").then().statusCode(200)
                .body("owner", equalTo(person.owner())).body("plan", equalTo("starter")).body("unit", equalTo("credits"))
                .body("allowance", equalTo(10)).body("used", equalTo(1)).body("remaining", equalTo(9))
                .body("resetsAt", equalTo(resetOfThisMonth())).body("givenAway", nullValue());
        // And on the key page.
        Http.asPerson(person.session()).get("/account/api-tokens").then().statusCode(200)
                .body(containsString("9 of 10 credits left this month")).body(containsString("starter"));
        given().get("/settings/usage").then().statusCode(401);
    }

    @Test
    void plansAndOperatorsChooseRateLimitPolicies() {
        Operator.Customer person = Operator.signUpCustomer();
        Operator.putOnPlan(person.owner(), "slow").statusCode(200);
        String first = (String) Http.mintKey(person.session(), List.of("profile:read")).get("rawKey");
        Map<String, Object> second = Http.mintKey(person.session(), List.of("profile:read"));
        String secondKey = (String) second.get("rawKey");
        me(first).then().statusCode(200).header("X-RateLimit-Limit", "2");
        me(first).then().statusCode(200).header("X-RateLimit-Remaining", "0");
        me(first).then().statusCode(429).body("message", containsString("Rate limit exceeded"));

        Operator.setRateLimit((String) second.get("id"), "one-a-minute").statusCode(200).body("policy", equalTo("one-a-minute"));
        me(secondKey).then().statusCode(200).header("X-RateLimit-Limit", "1");
        me(secondKey).then().statusCode(429);
        Operator.setRateLimit((String) second.get("id"), null).statusCode(200).body("policy", nullValue());
        me(secondKey).then().statusCode(200).header("X-RateLimit-Limit", "2").header("X-RateLimit-Remaining", "0");
    }

    @Test
    void operatorsBadInputIsRefusedAndChangesNothing() {
        Operator.Customer person = Operator.signUpCustomer();
        // Without the operator's token every admin path is absent, whatever the body or content type.
        given().get("/admin/owners/" + person.owner()).then().statusCode(404).body("status", equalTo(404));
        given().contentType(ContentType.JSON).body("{not json").post("/admin/owners/" + person.owner() + "/top-ups")
                .then().statusCode(404);
        given().contentType(ContentType.TEXT).body("x").put("/admin/owners/" + person.owner() + "/plan").then().statusCode(404);
        given().header("Authorization", "Bearer not-the-token").get("/admin/owners/" + person.owner()).then().statusCode(404);
        Operator.asOperator().queryParam("email", "nobody-" + UUID.randomUUID() + "@example.test").get("/admin/owners")
                .then().statusCode(404);
        Operator.asOperator().get("/admin/owners").then().statusCode(400).body("message", containsString("email"));
        Operator.putOnPlan(person.owner(), "platinum").statusCode(400).body("message", equalTo("No plan named platinum"));
        Operator.putOnPlan(UUID.randomUUID().toString(), "pro").statusCode(404);
        Operator.topUp(person.owner(), 0, "payment-0").statusCode(400).body("message", containsString("credits"));
        Operator.asOperator().contentType(ContentType.JSON).body(Map.of("credits", 5))
                .post("/admin/owners/" + person.owner() + "/top-ups").then().statusCode(400).body("message", containsString("reference"));
        Operator.asOperator().contentType(ContentType.JSON).body("{\"credits\": 5, \"reference\": \"x\", \"extra\": 1}")
                .post("/admin/owners/" + person.owner() + "/top-ups").then().statusCode(400);
        String keyId = (String) Http.mintKey(person.session(), List.of("profile:read")).get("id");
        Operator.setRateLimit(keyId, "warp-speed").statusCode(400);
        Operator.setRateLimit(UUID.randomUUID().toString(), "one-a-minute").statusCode(404);
        // Only an explicit choice changes a key's policy; amounts are whole numbers, never converted.
        Operator.asOperator().contentType(ContentType.JSON).body("{}").put("/admin/api-keys/" + keyId + "/rate-limit")
                .then().statusCode(400);
        Operator.asOperator().contentType(ContentType.JSON).body("{\"credits\": 1.5, \"reference\": \"p\"}")
                .post("/admin/owners/" + person.owner() + "/top-ups").then().statusCode(400);
        Operator.asOperator().contentType(ContentType.JSON).body("{\"credits\": \"500\", \"reference\": \"p\"}")
                .post("/admin/owners/" + person.owner() + "/top-ups").then().statusCode(400);
        Operator.asOperator().contentType(ContentType.JSON).body("{\"plan\": 7}")
                .put("/admin/owners/" + person.owner() + "/plan").then().statusCode(400);
        Operator.standing(person.owner()).statusCode(200).body("plan", equalTo("starter")).body("topUps", equalTo(0));
    }

    private YearMonth thisMonth() {
        return YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
    }

    private long awaitSpent(String owner, long expected) throws Exception {
        return BalanceOfRecord.awaitSpent(database, owner, thisMonth(), expected);
    }

    private long awaitSpent(String owner, YearMonth month, long expected) throws Exception {
        return BalanceOfRecord.awaitSpent(database, owner, month, expected);
    }

    private long spentInDatabase(String owner) throws SQLException {
        return BalanceOfRecord.spent(database, owner, thisMonth());
    }
}
