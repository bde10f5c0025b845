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
