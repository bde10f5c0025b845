package dev.gatehouse.pat;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.listKeys;
import static dev.gatehouse.testing.Http.me;
import static dev.gatehouse.testing.Http.mintKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole life of an API key through HTTP: mint, use, list, relabel, revoke. Run once with in-process
 * state and once with Redis ({@link InProcessApiKeyLifecycleTest}, {@link RedisApiKeyLifecycleTest}).
 */
abstract class ApiKeyLifecycleContract {

    /** "in-process" or "redis": the hot state this run must be using. */
    abstract String expectedHotStateMode();

    @Test
    void readinessReportsTheHotStateInUse() {
        dev.gatehouse.testing.Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Hot state' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Hot state' }.data.mode", equalTo(expectedHotStateMode()));
    }

    @Test
    void mintedKeyIsShownOnceWithSeed001Fields() {
        String session = Http.signUpSomeone();
        Instant expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        var created = Http.createKey(session, Map.of("label", "My Integration", "scopes", List.of("jobs:read", "profile:read"),
                "expiresAt", expiry.toString()))
                .then().statusCode(201)
                .header("Cache-Control", "no-store")
                .header("Location", org.hamcrest.Matchers.containsString("/settings/api-keys/" ))
                .body("id", notNullValue())
                .body("label", equalTo("My Integration"))
                .body("scopes", contains("jobs:read", "profile:read"))
                .body("createdAt", notNullValue())
                .body("expiresAt", equalTo(expiry.toString()))
                .body("active", equalTo(true))
                .body("environment", equalTo("live"))
                .extract().jsonPath();

        String rawKey = created.getString("rawKey");
        String keyPrefix = created.getString("keyPrefix");
        assertTrue(rawKey.matches("gth_live_[0-9A-Za-z]{38}"), "key format: " + keyPrefix);
        assertTrue(rawKey.startsWith(keyPrefix), "keyPrefix is the start of the key");
        assertEquals("gth_live_".length() + 5, keyPrefix.length());

        String id = created.getString("id");
        asPerson(session).get("/settings/api-keys/" + id).then().statusCode(200)
                .body("rawKey", nullValue())
                .body("keyPrefix", equalTo(keyPrefix))
                .body("preview", equalTo(keyPrefix + "…" + rawKey.substring(rawKey.length() - 4)));
        String listing = asPerson(session).get("/settings/api-keys").then().statusCode(200).extract().asString();
        assertFalse(listing.contains(rawKey), "the list never carries the key");
        assertFalse(listing.contains("rawKey"), "the list never carries the key");
    }

    @Test
    void keyAuthenticatesByBearerAndByXApiKeyHeader() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        var key = mintKey(session, List.of("profile:read", "jobs:read"));
        String rawKey = (String) key.get("rawKey");

        me(rawKey).then().statusCode(200)
                .body("account.email", equalTo(email))
                .body("key.id", equalTo(key.get("id")))
                .body("key.kind", equalTo("api_key"))
                .body("key.scopes", containsInAnyOrder("profile:read", "jobs:read"))
                .body("key.environment", equalTo("live"))
                .body("key.expiresAt", nullValue());
        given().header("X-API-Key", rawKey).get("/v1/me").then().statusCode(200).body("account.email", equalTo(email));
        // Header names are case-insensitive (seed 002 writes X-Api-Key).
        given().header("x-api-key", rawKey).get("/v1/me").then().statusCode(200);
    }

    @Test
    void testEnvironmentKeysCarryTheirOwnPrefix() {
        String session = Http.signUpSomeone();
        String rawKey = Http.createKey(session, Map.of("label", "sandbox", "scopes", List.of("profile:read"), "environment", "test"))
                .then().statusCode(201).body("environment", equalTo("test")).extract().path("rawKey");
        assertTrue(rawKey.startsWith("gth_test_"));
        me(rawKey).then().statusCode(200).body("key.environment", equalTo("test"));
    }

    @Test
    void usageShowsInTheListWithinSeconds() throws InterruptedException {
        String session = Http.signUpSomeone();
        var key = mintKey(session, List.of("profile:read"));
        for (int i = 0; i < 3; i++) {
            me((String) key.get("rawKey")).then().statusCode(200);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        Map<String, Object> listed;
        do {
            Thread.sleep(100);
            listed = listKeys(session).getFirst();
        } while (((Number) listed.get("usageCount")).intValue() < 3 && Instant.now().isBefore(deadline));
        assertEquals(3, ((Number) listed.get("usageCount")).intValue(), "usageCount after three calls");
        assertTrue(listed.get("lastUsedAt") != null, "lastUsedAt is set");
    }

    @Test
    void labelCanChangeButNothingElse() {
        String session = Http.signUpSomeone();
        String id = (String) mintKey(session, List.of("profile:read")).get("id");

        asPerson(session).contentType(ContentType.JSON).body(Map.of("label", "renamed")).patch("/settings/api-keys/" + id)
                .then().statusCode(200).body("label", equalTo("renamed")).body("rawKey", nullValue());
        asPerson(session).get("/settings/api-keys/" + id).then().body("label", equalTo("renamed"));

        asPerson(session).contentType(ContentType.JSON).body(Map.of("scopes", List.of("jobs:write"))).patch("/settings/api-keys/" + id)
                .then().statusCode(400).body("message", org.hamcrest.Matchers.containsString("immutable"));
        asPerson(session).get("/settings/api-keys/" + id).then().body("scopes", contains("profile:read"));
    }

    @Test
    void revokedKeyGets401OnTheNextRequest() {
        String session = Http.signUpSomeone();
        var key = mintKey(session, List.of("profile:read"));
        String rawKey = (String) key.get("rawKey");
        me(rawKey).then().statusCode(200);

        asPerson(session).delete("/settings/api-keys/" + key.get("id")).then().statusCode(204);

        me(rawKey).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("error", equalTo("Unauthorized"))
                .body("message", equalTo("Missing or invalid API key"));
        asPerson(session).get("/settings/api-keys/" + key.get("id")).then().statusCode(200)
                .body("active", equalTo(false)).body("revokedAt", notNullValue());
        // Revoking twice changes nothing and is not an error.
        asPerson(session).delete("/settings/api-keys/" + key.get("id")).then().statusCode(204);
    }

    @Test
    void anotherKeyOfTheSamePersonSurvivesRevocation() {
        String session = Http.signUpSomeone();
        var revoked = mintKey(session, List.of("profile:read"));
        String kept = (String) mintKey(session, List.of("profile:read")).get("rawKey");
        asPerson(session).delete("/settings/api-keys/" + revoked.get("id")).then().statusCode(204);
        me(kept).then().statusCode(200);
        me((String) revoked.get("rawKey")).then().statusCode(401).body("message", not(equalTo("")));
    }
}
