package dev.gatehouse.pat;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.createKey;
import static dev.gatehouse.testing.Http.listKeys;
import static dev.gatehouse.testing.Http.me;
import static dev.gatehouse.testing.Http.mintKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The management API is for signed-in people only, each seeing only their own keys, and refuses bad input whole. */
@QuarkusTest
class ManagementApiTest {
    @Inject
    AgroalDataSource database;

    @Test
    void anApiKeyCannotCallTheManagementApi() throws SQLException {
        String session = Http.signUpSomeone();
        String key = Http.mintRawKey(session, "profile:read", "settings:write");
        long before = apiKeyRows();

        given().header("Authorization", "Bearer " + key).get("/settings/api-keys").then().statusCode(403)
                .body("message", containsString("sign in"));
        given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("label", "escalate", "scopes", List.of("profile:read")))
                .post("/settings/api-keys").then().statusCode(403);
        // Even next to a valid session: a request that carries a key is refused.
        asPerson(session).header("Authorization", "Bearer " + key).get("/settings/api-keys").then().statusCode(403);

        assertEquals(before, apiKeyRows(), "nothing minted");
    }

    /**
     * Issue 10 finding 8: with a session, two different keys in Authorization and X-API-Key (or a credential
     * header holding something unreadable) left the session to decide: 200 on list, 201 on mint.
     */
    @Test
    void anyCredentialHeaderNextToASessionIsRefused() throws SQLException {
        String session = Http.signUpSomeone();
        String one = Http.mintRawKey(session, "profile:read");
        String other = Http.mintRawKey(session, "profile:read");
        long before = apiKeyRows();
        Map<String, String> conflicting = Map.of("Authorization", "Bearer " + one, "X-API-Key", other);
        asPerson(session).headers(conflicting).get("/settings/api-keys").then().statusCode(org.hamcrest.Matchers.not(200));
        asPerson(session).headers(conflicting).contentType(ContentType.JSON)
                .body(Map.of("label", "escalate", "scopes", List.of("profile:read"))).post("/settings/api-keys")
                .then().statusCode(org.hamcrest.Matchers.not(201));
        for (Map<String, String> unreadable : List.of(Map.of("Authorization", one), Map.of("Authorization", "Basic " + one),
                Map.of("X-API-Key", " "))) {
            asPerson(session).headers(unreadable).contentType(ContentType.JSON)
                    .body(Map.of("label", "escalate", "scopes", List.of("profile:read"))).post("/settings/api-keys")
                    .then().statusCode(401);
        }
        assertEquals(before, apiKeyRows(), "nothing minted");
        asPerson(session).get("/settings/api-keys").then().statusCode(200);
    }

    /**
     * Issue 10 finding 7: the JSON key API relied on SameSite alone; a cross-site POST without
     * Content-Type minted a key. A session changes nothing from another site, and bodies must be JSON.
     */
    @Test
    void aSessionChangesNothingCrossSiteOrWithoutJson() throws SQLException {
        String session = Http.signUpSomeone();
        long before = apiKeyRows();
        String body = "{\"label\":\"forged\",\"scopes\":[\"profile:read\"]}";
        // The finding's request: cross-site, a body that is not declared JSON. Refused (by type or by origin).
        asPerson(session).header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site").body(body)
                .post("/settings/api-keys").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(403), equalTo(415)));
        asPerson(session).header("Origin", "https://evil.example").contentType(ContentType.JSON).body(body)
                .post("/settings/api-keys").then().statusCode(403);
        asPerson(session).contentType("text/plain").body(body).post("/settings/api-keys").then().statusCode(415);
        asPerson(session).contentType("application/x-www-form-urlencoded").formParam("label", "forged")
                .post("/settings/api-keys").then().statusCode(415);
        assertEquals(before, apiKeyRows(), "nothing minted");
        String id = (String) Http.mintKey(session, List.of("profile:read")).get("id");
        asPerson(session).header("Sec-Fetch-Site", "cross-site").delete("/settings/api-keys/" + id).then().statusCode(403);
        asPerson(session).header("Sec-Fetch-Site", "same-origin").delete("/settings/api-keys/" + id).then().statusCode(204);
    }

    @Test
    void withoutASessionTheManagementApiAnswers401() {
        given().get("/settings/api-keys").then().statusCode(401).body("status", equalTo(401));
        given().contentType(ContentType.JSON).body(Map.of("label", "x", "scopes", List.of("profile:read")))
                .post("/settings/api-keys").then().statusCode(401);
    }

    @Test
    void onePersonCannotSeeOrTouchAnothersKeys() {
        String alice = Http.signUpSomeone();
        String bob = Http.signUpSomeone();
        var aliceKey = mintKey(alice, List.of("profile:read"));
        String id = (String) aliceKey.get("id");

        asPerson(bob).get("/settings/api-keys/" + id).then().statusCode(404).body("message", equalTo("No such API key"));
        asPerson(bob).contentType(ContentType.JSON).body(Map.of("label", "mine now")).patch("/settings/api-keys/" + id)
                .then().statusCode(404);
        asPerson(bob).delete("/settings/api-keys/" + id).then().statusCode(404);
        assertTrue(listKeys(bob).isEmpty(), "Bob's list holds none of Alice's keys");

        me((String) aliceKey.get("rawKey")).then().statusCode(200);
        asPerson(alice).get("/settings/api-keys/" + id).then().statusCode(200).body("label", equalTo("test key"));
    }

    static List<Object[]> badRequests() {
        Map<String, Object> unknownField = new HashMap<>(Map.of("label", "x", "scopes", List.of("profile:read")));
        unknownField.put("scope", "profile:read");
        return List.of(
                new Object[] {"unknown scope", Map.of("label", "x", "scopes", List.of("profile:read", "matches:accept")), "matches:accept"},
                new Object[] {"empty scopes", Map.of("label", "x", "scopes", List.of()), "at least one scope"},
                new Object[] {"no scopes", Map.of("label", "x"), "at least one scope"},
                new Object[] {"scopes not a list", Map.of("label", "x", "scopes", "profile:read"), "scopes"},
                new Object[] {"over-long label", Map.of("label", "x".repeat(101), "scopes", List.of("profile:read")), "at most 100"},
                new Object[] {"blank label", Map.of("label", "  ", "scopes", List.of("profile:read")), "label is required"},
                // Issue 10 finding 14: a label that reads as something else.
                new Object[] {"right-to-left override in label", Map.of("label", "prod\u202Etset", "scopes", List.of("profile:read")), "invisible"},
                new Object[] {"zero-width space in label", Map.of("label", "ci\u200Bkey", "scopes", List.of("profile:read")), "invisible"},
                new Object[] {"past expiry", Map.of("label", "x", "scopes", List.of("profile:read"),
                        "expiresAt", Instant.now().minusSeconds(60).toString()), "in the future"},
                new Object[] {"expiry not a date", Map.of("label", "x", "scopes", List.of("profile:read"), "expiresAt", "tomorrow"), "expiresAt"},
                new Object[] {"unknown environment", Map.of("label", "x", "scopes", List.of("profile:read"), "environment", "prod"), "live or test"},
                new Object[] {"unknown field", unknownField, "Unknown field 'scope'"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGets400WithAClearMessageAndStoresNothing(String why, Map<String, Object> body, String message) throws SQLException {
        String session = Http.signUpSomeone();
        long before = apiKeyRows();
        createKey(session, body).then().statusCode(400)
                .contentType("application/json")
                .body("status", equalTo(400))
                .body("error", equalTo("Bad Request"))
                .body("message", containsString(message));
        assertEquals(before, apiKeyRows(), why + ": nothing stored");
        assertTrue(listKeys(session).isEmpty());
    }

    @Test
    void malformedJsonGets400AndStoresNothing() throws SQLException {
        String session = Http.signUpSomeone();
        long before = apiKeyRows();
        asPerson(session).contentType(ContentType.JSON).body("{\"label\": \"x\", \"scopes\": [").post("/settings/api-keys")
                .then().statusCode(400).body("message", equalTo("The request body is not valid JSON"));
        asPerson(session).contentType(ContentType.JSON).body("[]").post("/settings/api-keys")
                .then().statusCode(400).body("status", equalTo(400));
        assertEquals(before, apiKeyRows());
    }

    @Test
    void unknownKeyIdGets404() {
        asPerson(Http.signUpSomeone()).get("/settings/api-keys/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }

    private long apiKeyRows() throws SQLException {
        try (Connection connection = database.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("select count(*) from token where kind = 'api_key'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
