package dev.gatehouse.guard;

import static dev.gatehouse.testing.Http.me;
import static dev.gatehouse.testing.Http.metric;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.testing.Http;
import dev.gatehouse.token.Environment;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a key is refused on a protected endpoint, with RFC 6750's challenges (specs.md §6.3) and seed 002's body. */
@QuarkusTest
class ApiKeyRefusalTest {
    @jakarta.inject.Inject
    dev.gatehouse.testing.MovableClock clock;

    static final String DATABASE_LOOKUPS = "gatehouse_token_lookups_total{source=\"database\"}";

    @Test
    void rfc6750_3_noCredentialGets401WithAChallengeWithoutErrorCode() {
        given().get("/v1/me").then().statusCode(401)
                // Exactly seed 004's challenge (and specs.md §1.8's), no error code (RFC 6750 §3).
                .header("WWW-Authenticate", equalTo("Bearer resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\""))
                .contentType("application/json")
                .body("status", equalTo(401))
                .body("error", equalTo("Unauthorized"))
                .body("message", equalTo("Missing or invalid API key"));
    }

    @Test
    void malformedKeyGets401InvalidToken() {
        me("not-a-key").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("message", equalTo("Missing or invalid API key"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/v1/me").then().statusCode(401);
    }

    @Test
    void checksumInvalidKeyIsRefusedWithoutADatabaseQuery() {
        String real = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        char last = real.charAt(real.length() - 1);
        String typo = real.substring(0, real.length() - 1) + (last == 'a' ? 'b' : 'a');

        double before = metric(DATABASE_LOOKUPS);
        for (int i = 0; i < 5; i++) {
            me(typo).then().statusCode(401).header("WWW-Authenticate", containsString("invalid_token"));
        }
        assertEquals(before, metric(DATABASE_LOOKUPS), "a checksum-invalid key never reaches PostgreSQL");

        // The counter does move for a well-formed key that is merely unknown, so the check above can fail.
        String unknown = new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32).mint(Environment.LIVE).plaintext();
        me(unknown).then().statusCode(401);
        assertEquals(before + 1, metric(DATABASE_LOOKUPS), "an unknown well-formed key is looked up once");
        me(unknown).then().statusCode(401);
        assertEquals(before + 1, metric(DATABASE_LOOKUPS), "and then answered from the per-node cache");
    }

    @Test
    void rfc6750_2_3_keyInTheQueryIsRefusedWith400() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        given().queryParam("access_token", key).get("/v1/me").then().statusCode(400)
                .header("WWW-Authenticate", containsString("invalid_request"))
                .body("status", equalTo(400))
                .body("error", equalTo("Bad Request"))
                .body("message", containsString("header"));
        given().queryParam("api_key", "anything").get("/v1/me").then().statusCode(400);
        // Any parameter whose value looks like one of our keys counts, even alongside a valid header.
        given().queryParam("q", key).header("Authorization", "Bearer " + key).get("/v1/me").then().statusCode(400);
    }

    @Test
    void rfc6750_3_1_missingScopeGets403InsufficientScope() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "jobs:read");
        me(key).then().statusCode(403)
                .header("WWW-Authenticate", allOf(startsWith("Bearer resource_metadata="),
                        endsWith("error=\"insufficient_scope\", scope=\"profile:read\"")))
                .body("status", equalTo(403))
                .body("error", equalTo("Forbidden"))
                .body("message", containsString("profile:read"));
    }

    @Test
    void twoDifferentKeysInTwoHeadersAreRefused() {
        String session = Http.signUpSomeone();
        String first = Http.mintRawKey(session, "profile:read");
        String second = Http.mintRawKey(session, "profile:read");
        given().header("Authorization", "Bearer " + first).header("X-API-Key", second).get("/v1/me")
                .then().statusCode(400);
        given().header("Authorization", "Bearer " + first).header("X-API-Key", first).get("/v1/me")
                .then().statusCode(200);
    }

    /** Two different keys next to a session are still "a key is present": never the session's rights. */
    @Test
    void conflictingKeysNextToASessionCannotManageKeys() {
        String session = Http.signUpSomeone();
        String first = Http.mintRawKey(session, "profile:read");
        String second = Http.mintRawKey(session, "profile:read");
        Http.asPerson(session).header("Authorization", "Bearer " + first).header("X-API-Key", second)
                .get("/settings/api-keys").then().statusCode(400);
        Http.asPerson(session).header("Authorization", "Bearer " + first).header("X-API-Key", second)
                .contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("label", "x", "scopes", List.of("profile:read")))
                .post("/settings/api-keys").then().statusCode(400);
        org.junit.jupiter.api.Assertions.assertEquals(2, Http.listKeys(session).size());
    }

    @Test
    void expiredKeyGets401OnTheNextRequest() {
        String session = Http.signUpSomeone();
        Instant expiry = clock.instant().plus(java.time.Duration.ofHours(1));
        String key = (String) Http.mintKey(session, List.of("profile:read"), expiry).get("rawKey");
        me(key).then().statusCode(200);
        try {
            clock.advance(java.time.Duration.ofHours(1));
            me(key).then().statusCode(401).header("WWW-Authenticate", containsString("invalid_token"));
        } finally {
            clock.reset();
        }
    }

    @Test
    void aSessionCookieIsNotAnApiCredential() {
        String session = Http.signUpSomeone();
        Http.asPerson(session).get("/v1/me").then().statusCode(401);
        me(session).then().statusCode(401);
    }
}
