package dev.gatehouse.examples;

import static dev.gatehouse.testing.Http.createKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** examples/jobiflow.properties through HTTP: seed 001's prefix, header and scope catalogue. */
@QuarkusTest
@TestProfile(ExampleFile.Jobiflow.class)
class JobiflowExampleTest {

    @Test
    void keysAreJbfLiveAndTravelInXApiKeyOnly() {
        String session = Http.signUpSomeone();
        String rawKey = createKey(session, Map.of("label", "My Integration",
                "scopes", List.of("jobs:read", "jobs:write", "applications:read"), "expiresAt", "2099-01-01T00:00:00Z"))
                .then().statusCode(201)
                .body("keyPrefix", startsWith("jbf_live_"))
                .body("rawKey", startsWith("jbf_live_"))
                .extract().path("rawKey");

        given().header("X-API-Key", rawKey).get("/v1/me").then().statusCode(200).body("key.keyPrefix", startsWith("jbf_live_"));
        // Seed 001 reserves the Authorization header for OAuth tokens: an API key there is not taken.
        given().header("Authorization", "Bearer " + rawKey).get("/v1/me").then().statusCode(401)
                .body("message", containsString("X-API-Key"));
    }

    /**
     * Which headers carry API keys and which carry OAuth tokens are separate settings: with keys in
     * X-API-Key only, the dashboard's JWT is still read from Authorization: Bearer.
     */
    @Test
    void theDashboardsJwtIsReadFromAuthorization() {
        String session = Http.signUpSomeone();
        String token = OAuthDriver.tokensFor(session, OAuthDriver.DASHBOARD, null, "keys:manage").getString("access_token");
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("label", "from the dashboard", "scopes", List.of("jobs:read")))
                .post("/settings/api-keys").then().statusCode(201).body("rawKey", startsWith("jbf_live_"));
        // A JWT is not an API key: X-API-Key does not take it.
        given().header("X-API-Key", token).get("/settings/api-keys").then().statusCode(401);
    }

    @Test
    void theCatalogueIsSeed001s() {
        String session = Http.signUpSomeone();
        createKey(session, Map.of("label", "x", "scopes", List.of("profile:read"))).then().statusCode(400)
                .body("message", containsString("profile:read"));
        createKey(session, Map.of("label", "x", "scopes", List.of("webhooks:manage", "analytics:read"))).then().statusCode(201)
                .body("scopes.size()", equalTo(2));
    }
}
