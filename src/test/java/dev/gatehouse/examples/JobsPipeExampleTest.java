package dev.gatehouse.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthFlow;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** examples/jobspipe.properties through HTTP: seed 004 "issues API keys per account rather than minting anonymous credentials". */
@QuarkusTest
@TestProfile(ExampleFile.JobsPipe.class)
class JobsPipeExampleTest {
    static final String SIGN_UP = "https://jobspipe.dev/signup";

    @Inject
    AgroalDataSource database;

    private long rows(String table) throws Exception {
        try (Connection connection = database.getConnection();
                ResultSet count = connection.createStatement().executeQuery("select count(*) from " + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    @Test
    void registeringAnswersWithThePointerToSignUpAndMintsNothing() throws Exception {
        long tokens = rows("token");
        long registrations = rows("agent_registration");
        // The seed's own request, then the other registration shapes auth.md describes.
        for (Map<String, Object> body : java.util.List.<Map<String, Object>>of(
                Map.of("identity_type", "identity_assertion"),
                Map.of("type", "anonymous", "requested_credential_type", "api_key"),
                Map.of("type", "identity_assertion", "assertion_type", "verified_email",
                        "assertion", Http.newEmail(), "requested_credential_type", "api_key"))) {
            given().contentType("application/json").body(body).post("/agent/auth").then()
                    .statusCode(403)
                    .header("Cache-Control", "no-store")
                    .contentType("application/json")
                    .body("error", equalTo("sign_up_required"))
                    .body("message", containsString(SIGN_UP))
                    .body("sign_up_uri", equalTo(SIGN_UP))
                    .body("credential", nullValue())
                    .body("claim_token", nullValue());
        }
        assertEquals(tokens, rows("token"), "no key minted");
        assertEquals(registrations, rows("agent_registration"), "no registration kept");
    }

    @Test
    void metadataAndAuthMdSayAgentsAreSentToSignUp() {
        String skill = given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("agent_auth.register_uri", endsWith("/agent/auth"))
                .body("agent_auth.sign_up_uri", equalTo(SIGN_UP))
                .body("agent_auth.identity_types_supported", emptyIterable())
                .body("agent_auth.claim_uri", nullValue())
                .body("agent_auth.anonymous", nullValue())
                .extract().path("agent_auth.skill");
        given().get(OAuthFlow.pathOf(skill)).then().statusCode(200)
                .body(containsString("Ask your person to sign up at " + SIGN_UP))
                .body(containsString("`sign_up_required`"))
                .body(containsString("- `jobs:read`: Search jobs (POST /v1/jobs/search)"))
                .body(not(containsString("Anonymous start")))
                .body(not(containsString("/agent/auth/claim")));
    }

    @Test
    void aKeyAPersonCreatesIsAJpLiveBearerToken() {
        String rawKey = Http.mintRawKey(Http.signUpSomeone(), "jobs:read");
        Http.me(rawKey).then().statusCode(200).body("key.keyPrefix", org.hamcrest.Matchers.startsWith("jp_live_"));
    }

    /** The example's route table at work behind a gateway: seed 004's search, its scope, and nothing else. */
    @Test
    void forwardAuthPricesTheSeedsSearchAndDeniesUnpricedPaths() {
        String session = Http.signUpSomeone();
        String searcher = Http.mintRawKey(session, "jobs:read");
        String companies = Http.mintRawKey(session, "companies:read");
        given().header("X-Forwarded-Method", "POST").header("X-Forwarded-Uri", "/v1/jobs/search")
                .header("Authorization", "Bearer " + searcher).get("/forward-auth")
                .then().statusCode(200).header("X-Gatehouse-Scopes", "jobs:read");
        given().header("X-Forwarded-Method", "POST").header("X-Forwarded-Uri", "/v1/jobs/search")
                .header("Authorization", "Bearer " + companies).get("/forward-auth")
                .then().statusCode(403).header("WWW-Authenticate", containsString("scope=\"jobs:read\""));
        given().header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", "/internal/admin")
                .header("Authorization", "Bearer " + searcher).get("/forward-auth")
                .then().statusCode(404).body("status", equalTo(404));
        // No key: seed 004's exact challenge.
        given().header("X-Forwarded-Method", "POST").header("X-Forwarded-Uri", "/v1/jobs/search").get("/forward-auth")
                .then().statusCode(401).header("WWW-Authenticate", endsWith("/.well-known/oauth-protected-resource\""));
    }
}
