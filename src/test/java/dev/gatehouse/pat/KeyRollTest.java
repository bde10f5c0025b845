package dev.gatehouse.pat;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.createKey;
import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling a key (seeds 000 and 002): a successor with the same everything, shown once, and "both keys
 * are valid simultaneously, so there is no gap in access" until the grace period ends. Time is moved
 * by the test's clock, not waited for.
 */
@QuarkusTest
class KeyRollTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    private static Response roll(String session, Object id, Map<String, Object> body) {
        var request = asPerson(session).contentType(ContentType.JSON);
        return (body == null ? request : request.body(body)).post("/settings/api-keys/" + id + "/roll");
    }

    private static Map<String, Object> mint(String session) {
        return createKey(session, Map.of("label", "deploy bot", "scopes", List.of("profile:read", "jobs:read"),
                "environment", "test", "ipAllowlist", List.of("127.0.0.0/8"), "expiresAt", "2099-01-01T00:00:00Z"))
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    @Test
    void bothKeysWorkDuringTheGracePeriodAndTheOldOneStopsAfterIt() {
        String session = Http.signUpSomeone();
        var old = mint(session);
        Instant before = Instant.now();
        var successor = roll(session, old.get("id"), null).then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("rawKey", notNullValue())
                .body("label", equalTo("deploy bot"))
                .body("scopes", equalTo(List.of("profile:read", "jobs:read")))
                .body("environment", equalTo("test"))
                .body("ipAllowlist", equalTo(List.of("127.0.0.0/8")))
                .body("expiresAt", equalTo("2099-01-01T00:00:00Z"))
                .body("replaces", equalTo(old.get("id")))
                .extract().jsonPath().getMap("");
        String oldKey = (String) old.get("rawKey");
        String newKey = (String) successor.get("rawKey");
        assertNotEquals(oldKey, newKey);
        assertTrue(newKey.startsWith("gth_test_"), "the successor keeps the environment's prefix");

        // The list says which key replaced which, and when the old one stops: 24 hours by default.
        var listed = Http.listKeys(session);
        assertEquals(2, listed.size());
        var oldListed = listed.stream().filter(k -> k.get("id").equals(old.get("id"))).findFirst().orElseThrow();
        assertEquals(successor.get("id"), oldListed.get("replacedBy"));
        Instant stops = Instant.parse((String) oldListed.get("expiresAt"));
        assertTrue(!stops.isBefore(before.plus(Duration.ofHours(24)).minusSeconds(1))
                && !stops.isAfter(Instant.now().plus(Duration.ofHours(24))), "the old key stops 24 h after the roll: " + stops);
        asPerson(session).get("/settings/api-keys/" + old.get("id")).then().body("replacedBy", equalTo(successor.get("id")));

        me(oldKey).then().statusCode(200);
        me(newKey).then().statusCode(200);
        clock.advance(Duration.ofHours(23));
        me(oldKey).then().statusCode(200);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        me(oldKey).then().statusCode(401);
        me(newKey).then().statusCode(200);
    }

    @Test
    void aZeroGracePeriodStopsTheOldKeyAtOnce() {
        String session = Http.signUpSomeone();
        var old = mint(session);
        me((String) old.get("rawKey")).then().statusCode(200);
        String newKey = roll(session, old.get("id"), Map.of("gracePeriodSeconds", 0)).then().statusCode(201)
                .extract().path("rawKey");
        me((String) old.get("rawKey")).then().statusCode(401);
        me(newKey).then().statusCode(200);
        asPerson(session).get("/settings/api-keys/" + old.get("id")).then().body("active", equalTo(false))
                .body("revokedAt", notNullValue());
    }

    @Test
    void aChosenGracePeriodIsKept() {
        String session = Http.signUpSomeone();
        var old = mint(session);
        roll(session, old.get("id"), Map.of("gracePeriodSeconds", 3600)).then().statusCode(201);
        clock.advance(Duration.ofMinutes(59));
        me((String) old.get("rawKey")).then().statusCode(200);
        clock.advance(Duration.ofMinutes(2));
        me((String) old.get("rawKey")).then().statusCode(401);
    }

    @Test
    void refusedRollsChangeNothing() {
        String session = Http.signUpSomeone();
        var old = mint(session);
        roll(session, old.get("id"), Map.of("gracePeriodSeconds", -1)).then().statusCode(400).body("status", equalTo(400));
        roll(session, old.get("id"), Map.of("gracePeriodSeconds", 31L * 24 * 3600)).then().statusCode(400);
        roll(session, old.get("id"), Map.of("gracePeriodSeconds", "soon")).then().statusCode(400);
        roll(session, old.get("id"), Map.of("grace", 5)).then().statusCode(400);
        // A form post (what another site could send without a preflight) is not taken.
        asPerson(session).contentType(ContentType.URLENC).formParam("gracePeriodSeconds", "0")
                .post("/settings/api-keys/" + old.get("id") + "/roll").then().statusCode(415);
        // Someone else's key is not found; so is a key that does not exist.
        roll(Http.signUpSomeone(), old.get("id"), null).then().statusCode(404);
        roll(session, java.util.UUID.randomUUID(), null).then().statusCode(404);
        // An API key never rolls keys: humans only (seed 000).
        given().header("Authorization", "Bearer " + old.get("rawKey")).contentType(ContentType.JSON)
                .post("/settings/api-keys/" + old.get("id") + "/roll").then().statusCode(403);
        assertEquals(1, Http.listKeys(session).size(), "no refused roll stored a key");
        me((String) old.get("rawKey")).then().statusCode(200);

        roll(session, old.get("id"), null).then().statusCode(201);
        roll(session, old.get("id"), null).then().statusCode(409).body("message", not(equalTo("")));
        assertEquals(2, Http.listKeys(session).size(), "a key rolls once");

        var revoked = mint(session);
        asPerson(session).delete("/settings/api-keys/" + revoked.get("id")).then().statusCode(204);
        roll(session, revoked.get("id"), null).then().statusCode(409);
        assertEquals(3, Http.listKeys(session).size());
    }
}
