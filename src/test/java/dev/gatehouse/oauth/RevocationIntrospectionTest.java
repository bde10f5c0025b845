package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthFlow.DASHBOARD_CLIENT;
import static dev.gatehouse.testing.OAuthFlow.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthFlow.ISSUER;
import static dev.gatehouse.testing.OAuthFlow.asDemoClient;
import static dev.gatehouse.testing.OAuthFlow.asPublicClient;
import static dev.gatehouse.testing.OAuthFlow.clientCredentialsToken;
import static dev.gatehouse.testing.OAuthFlow.demoAppTokens;
import static dev.gatehouse.testing.OAuthFlow.introspect;
import static dev.gatehouse.testing.OAuthFlow.revoke;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthFlow;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 7662 introspection and RFC 7009 revocation, over API keys and OAuth tokens alike. */
@QuarkusTest
class RevocationIntrospectionTest {
    @jakarta.inject.Inject
    dev.gatehouse.client.Clients clients;

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private static Map<String, Object> introspection(String token) {
        Response response = introspect(token);
        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(String.valueOf(response.header("Cache-Control")).contains("no-store"),
                "introspection answers are not cached: " + response.header("Cache-Control"));
        return response.jsonPath().getMap("");
    }

    private static void assertInvalidClient(Response response) {
        assertEquals(401, response.statusCode(), response.asString());
        assertEquals("invalid_client", response.jsonPath().getString("error"));
    }

    // --- Introspection (RFC 7662) -------------------------------------------------------------

    @Test
    void rfc7662_2_2_apiKeyIsActiveWithItsClaims() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Instant expiresAt = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String key = (String) Http.mintKey(session, List.of("profile:read"), expiresAt).get("rawKey");
        String accountId = Http.me(key).then().statusCode(200).extract().jsonPath().getString("account.id");

        Map<String, Object> claims = introspection(key);
        assertEquals(true, claims.get("active"), claims.toString());
        assertEquals("profile:read", claims.get("scope"));
        assertEquals(accountId, claims.get("sub"));
        assertNull(claims.get("username"), "the owner is named by id; the email is no other client's business (RFC 7662 §4)");
        assertNotNull(claims.get("exp"), "exp of a key with an expiry: " + claims);
        assertEquals(expiresAt.getEpochSecond(), ((Number) claims.get("exp")).longValue());
        assertEquals("api_key", claims.get("kind"));
    }

    /** RFC 7662 §4: a refresh token is its own client's business; another confidential client learns nothing. */
    @Test
    void rfc7662_4_anotherClientCannotIntrospectARefreshToken() {
        clients.save("introspection-rival", "Rival", "rival-secret-0123456789", dev.gatehouse.client.Client.SECRET_BASIC,
                List.of("https://rival.example/cb"), List.of("client_credentials"), List.of("profile:read"),
                false, false, "seeded", Map.of());
        String refresh = (String) demoAppTokens(Http.signUpSomeone(), "profile:read").get("refresh_token");
        assertEquals(true, introspection(refresh).get("active"), "its own client sees it");
        Map<String, Object> rival = io.restassured.RestAssured.given().auth().preemptive().basic("introspection-rival", "rival-secret-0123456789")
                .contentType("application/x-www-form-urlencoded").formParam("token", refresh).post("/oauth2/introspect")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertEquals(Map.of("active", false), rival);
    }

    @Test
    void rfc7662_2_2_clientCredentialsAccessTokenIsActive() {
        String token = clientCredentialsToken("profile:read");
        Map<String, Object> claims = introspection(token);
        assertEquals(true, claims.get("active"), claims.toString());
        assertEquals(DEMO_CLIENT, claims.get("client_id"));
        assertEquals("profile:read", claims.get("scope"));
        assertEquals(ISSUER, claims.get("iss"));
        assertNotNull(claims.get("exp"));
        assertTrue(((Number) claims.get("exp")).longValue() > Instant.now().getEpochSecond());
    }

    @Test
    void rfc7662_2_2_unknownTokenIsJustInactive() {
        Response response = introspect("no-such-token-" + Http.newEmail());
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(INACTIVE, response.jsonPath().getMap(""), "nothing but active:false: " + response.asString());
    }

    @Test
    void rfc7662_2_1_introspectionNeedsClientAuthentication() {
        assertInvalidClient(given().contentType(ContentType.URLENC).formParam("token", "anything").post("/oauth2/introspect"));
    }

    @Test
    void rfc7662_2_1_aPublicClientCannotIntrospect() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        Response response = asPublicClient(DASHBOARD_CLIENT).formParam("token", key).post("/oauth2/introspect");
        assertInvalidClient(response);
        assertTrue(!response.asString().contains("\"active\""), "no introspection answer to a public client");
    }

    // --- Revocation (RFC 7009) ----------------------------------------------------------------

    @Test
    void rfc7009_2_2_unknownTokenAnswers200() {
        assertEquals(200, revoke("no-such-token-" + Http.newEmail()).statusCode());
    }

    @Test
    void rfc7009_2_apiKeyRevokedThereStopsWorking() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        assertEquals(200, Http.me(key).statusCode(), "the key works before");
        assertEquals(true, introspection(key).get("active"));

        assertEquals(200, revoke(key).statusCode());

        assertEquals(401, Http.me(key).statusCode(), "a revoked key is refused at once");
        assertEquals(INACTIVE, introspection(key));
    }

    @Test
    void rfc7009_2_1_revokingARefreshTokenRevokesItsGrantAndOnlyThat() {
        String session = Http.signUpSomeone();
        Map<String, Object> first = demoAppTokens(session, "openid profile:read");
        Map<String, Object> second = demoAppTokens(session, "openid profile:read");
        String firstAccess = (String) first.get("access_token");
        String firstRefresh = (String) first.get("refresh_token");
        String secondAccess = (String) second.get("access_token");
        String secondRefresh = (String) second.get("refresh_token");
        assertNotNull(firstRefresh);
        assertNotNull(secondRefresh);
        assertEquals(200, Http.me(firstAccess).statusCode());
        assertEquals(200, Http.me(secondAccess).statusCode());

        assertEquals(200, revoke(firstRefresh).statusCode());

        assertEquals(INACTIVE, introspection(firstRefresh));
        assertEquals(INACTIVE, introspection(firstAccess), "the access token of the revoked grant dies with it");
        assertEquals(401, Http.me(firstAccess).statusCode());
        asDemoClient().formParam("grant_type", "refresh_token").formParam("refresh_token", firstRefresh)
                .post("/oauth2/token").then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("invalid_grant"));

        assertEquals(true, introspection(secondAccess).get("active"), "another grant of the same person lives on");
        assertEquals(true, introspection(secondRefresh).get("active"));
        assertEquals(200, Http.me(secondAccess).statusCode());
    }

    @Test
    void rfc7009_2_1_wrongClientSecretIsInvalidClientWithBasicChallenge() {
        String token = clientCredentialsToken("profile:read");
        Response response = given().auth().preemptive().basic(DEMO_CLIENT, "not-the-secret")
                .contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/revoke");
        assertInvalidClient(response);
        List<String> challenges = response.headers().getValues("WWW-Authenticate");
        assertTrue(challenges.stream().anyMatch(value -> value.regionMatches(true, 0, "Basic", 0, 5)),
                "RFC 6749 §5.2: a failed Basic authentication is challenged with Basic: " + challenges);
        assertEquals(true, introspection(token).get("active"), "nothing revoked");
    }

    @Test
    void rfc7009_2_1_anotherClientCannotRevokeTheDemoAppsTokens() {
        String session = Http.signUpSomeone();
        Map<String, Object> tokens = demoAppTokens(session, "profile:read");
        String access = (String) tokens.get("access_token");
        String refresh = (String) tokens.get("refresh_token");
        String registered = OAuthFlow.registerPublicClient("http://127.0.0.1:33419/callback");

        for (String other : List.of(DASHBOARD_CLIENT, registered)) {
            // RFC 7009 §2.1: refused, and the client is told.
            for (String token : List.of(refresh, access)) {
                Response refused = asPublicClient(other).formParam("token", token).post("/oauth2/revoke");
                assertEquals(400, refused.statusCode(), other);
                assertEquals("unauthorized_client", refused.jsonPath().getString("error"), other);
            }
        }

        assertEquals(true, introspection(refresh).get("active"), "another client's revocation must not touch the token");
        assertEquals(true, introspection(access).get("active"));
        assertEquals(200, Http.me(access).statusCode());
        // The rightful client can still use its refresh token.
        asDemoClient().formParam("grant_type", "refresh_token").formParam("refresh_token", refresh)
                .post("/oauth2/token").then().statusCode(200);
    }
}
