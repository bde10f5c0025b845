package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthDriver.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthDriver.DEMO_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Client authentication and the RFC 6749 §5 answers of POST /oauth2/token. */
@QuarkusTest
class TokenEndpointTest {

    @Test
    void rfc6749_5_2_failedBasicAuthenticationIs401WithABasicChallenge() {
        var answer = given().auth().preemptive().basic(DEMO_CLIENT, "wrong secret").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
        answer.then().statusCode(401)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("error", equalTo("invalid_client"));
        var challenges = answer.getHeaders().getValues("WWW-Authenticate");
        org.junit.jupiter.api.Assertions.assertTrue(challenges.stream().anyMatch(c -> c.startsWith("Basic")), challenges.toString());
        // Like every 401 here, it also points at the protected-resource metadata (seed 004).
        org.junit.jupiter.api.Assertions.assertTrue(challenges.stream().anyMatch(c -> c.contains("resource_metadata=")), challenges.toString());
    }

    @Test
    void clientSecretPostAndBasicBothWork() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", DEMO_CLIENT).formParam("client_secret", DEMO_SECRET).formParam("scope", "jobs:read")
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("jobs:read"));
        given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void rfc6749_4_4_clientCredentialsGivesAnAccessTokenAndNoRefreshToken() {
        var tokens = given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "profile:read")
                .post("/oauth2/token").then().statusCode(200)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("access_token", notNullValue()).body("refresh_token", nullValue()).body("id_token", nullValue())
                .extract().jsonPath();
        Http.me(tokens.getString("access_token")).then().statusCode(200).body("key.kind", equalTo("access"));
    }

    @Test
    void aClientCannotAskForMoreThanItIsAllowed() {
        given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "keys:manage")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void aPublicClientCannotUseClientCredentialsOrOmitPkce() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", OAuthDriver.DASHBOARD).post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", DEMO_CLIENT).post("/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aCodeIssuedToOneClientCannotBeRedeemedByAnother() {
        String session = Http.signUpSomeone();
        String verifier = OAuthDriver.verifier();
        String code = OAuthDriver.code(session, OAuthDriver.request(OAuthDriver.DASHBOARD, "profile:read", verifier));
        OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, verifier).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshMayNarrowTheScopeButNotWidenIt() {
        var tokens = OAuthDriver.tokensFor(Http.signUpSomeone(), DEMO_CLIENT, DEMO_SECRET, "profile:read jobs:read");
        OAuthDriver.authenticated(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getString("refresh_token"))
                .formParam("scope", "profile:read jobs:write"), DEMO_CLIENT, DEMO_SECRET)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        String narrowedRefresh = OAuthDriver.authenticated(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getString("refresh_token"))
                .formParam("scope", "profile:read"), DEMO_CLIENT, DEMO_SECRET)
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("profile:read"))
                .extract().path("refresh_token");
        // RFC 6749 §6: the new refresh token keeps the grant's scope; only that access token was narrowed.
        OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, narrowedRefresh).then().statusCode(200)
                .body("scope", equalTo("profile:read jobs:read"));
    }

    /** RFC 9700 §4.14: a refresh token expires after inactivity (14 days by default), within the grant's absolute 30. */
    @Test
    void refreshTokensExpireAfterInactivity() {
        var tokens = OAuthDriver.tokensFor(Http.signUpSomeone(), DEMO_CLIENT, DEMO_SECRET, "profile:read");
        long exp = given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("token", tokens.getString("refresh_token")).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(true)).extract().jsonPath().getLong("exp");
        long expected = java.time.Instant.now().plus(java.time.Duration.ofDays(14)).getEpochSecond();
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(exp - expected) < 60, "exp " + exp + " vs now + 14 days " + expected);
    }

    @Test
    void missingGrantTypeIsInvalidRequest() {
        given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("scope", "x").post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
