package dev.gatehouse.mail;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without a mailer (no SMTP host, no mock), the flows that need mail are not advertised, and asking for them
 * gets a clear error, never a 500 (issue 9 §3).
 */
@QuarkusTest
@TestProfile(NoMailerTest.NoMailer.class)
class NoMailerTest {
    public static class NoMailer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.mock", "false");
        }
    }

    @Test
    void emailFlowsAreNeitherAdvertisedNorOffered() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("agent_auth.claim_uri", nullValue())
                .body("agent_auth.identity_types_supported", hasItem("anonymous"))
                .body("agent_auth.identity_assertion.assertion_types_supported", not(hasItem("verified_email")));
        given().get("/auth.md").then().statusCode(200).body(not(containsString("**Email required**")))
                .body(containsString("**Anonymous start**"));

        given().contentType("application/json").body(Map.of("type", "identity_assertion",
                "assertion_type", "verified_email", "assertion", "someone@example.test", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(400).body(containsString("sends no email"));
        String claimToken = given().contentType("application/json").body(Map.of("type", "anonymous", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200).extract().path("claim_token");
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", "someone@example.test"))
                .post("/agent/auth/claim").then().statusCode(400).body("error", equalTo("email_not_available"));
    }
}
