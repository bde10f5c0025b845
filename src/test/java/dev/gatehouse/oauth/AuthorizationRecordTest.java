package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthDriver.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthDriver.DEMO_SECRET;
import static dev.gatehouse.testing.OAuthFlow.clientCredentialsToken;
import static dev.gatehouse.testing.OAuthFlow.introspect;
import static dev.gatehouse.testing.OAuthFlow.revoke;
import static dev.gatehouse.testing.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.OAuthDriver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's grant model, through HTTP against PostgreSQL: one authorization record per grant with typed
 * columns; access tokens are JWTs that name it and that no row records; revocation (of an authorization,
 * one JWT, a client) goes through the revocation list, and introspection answers from it at once.
 */
@QuarkusTest
class AuthorizationRecordTest {
    private static final String WRITTEN = "select (select count(*) from token) + (select count(*) from oauth_authorization)"
            + " + (select count(*) from revocation) + (select count(*) from audit_event)";

    @Inject
    AgroalDataSource database;

    @Inject
    MovableClock clock;

    @Inject
    dev.gatehouse.token.NodeClockCheck clockCheck;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    @Test
    void clientCredentialsWritesNothingAtAll() throws Exception {
        String first = clientCredentialsToken("profile:read");
        long before = Database.count(database, WRITTEN);
        for (int i = 0; i < 20; i++) {
            assertEquals(true, introspect(clientCredentialsToken("profile:read")).jsonPath().getBoolean("active"));
        }
        assertEquals(before, Database.count(database, WRITTEN), "no row of any kind per client_credentials token");
        assertEquals(true, introspect(first).jsonPath().getBoolean("active"));
        assertFalse(SignedJWT.parse(first).getJWTClaimsSet().getClaims().containsKey(TokenIssuer.AUTHORIZATION_CLAIM),
                "a client acting for itself has no stored authorization to name");
    }

    @Test
    void aCodeExchangeWritesTheCodeUsedUpAndOneRefreshTokenUnderOneTypedAuthorization() throws Exception {
        String session = Http.signUpSomeone();
        long accessRowsBefore = Database.count(database, "select count(*) from token where kind not in ('session', 'api_key', 'agent', 'refresh', 'authorization_code')");
        JsonPath tokens = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "openid profile:read");
        UUID authorization = UUID.fromString(SignedJWT.parse(tokens.getString("access_token")).getJWTClaimsSet()
                .getStringClaim(TokenIssuer.AUTHORIZATION_CLAIM));

        assertEquals(1, Database.count(database, "select count(*) from oauth_authorization where id = ? and client_id = ?"
                + " and grant_type = 'authorization_code' and scopes = array['openid', 'profile:read'] and audience = array['http://localhost:8080']"
                + " and redirect_uri = ? and redirect_uri_given and code_challenge is not null and auth_time is not null"
                + " and expires_at > now() + interval '29 days' and revoked_at is null",
                authorization, DEMO_CLIENT, OAuthDriver.REDIRECT), "the authorization holds its facts in typed columns");
        assertEquals(1, Database.count(database, "select count(*) from token where authorization_id = ? and kind = 'authorization_code'"
                + " and used_at is not null and revoked_at is not null", authorization), "the code, used up");
        assertEquals(1, Database.count(database, "select count(*) from token where authorization_id = ? and kind = 'refresh'"
                + " and revoked_at is null and secret_hash = decode(?, 'hex')", authorization,
                Database.hashHex(tokens.getString("refresh_token"))), "one refresh token, stored by hash");
        assertEquals(2, Database.count(database, "select count(*) from token where authorization_id = ?", authorization),
                "nothing else: the access token is a JWT");
        assertEquals(accessRowsBefore, Database.count(database,
                "select count(*) from token where kind not in ('session', 'api_key', 'agent', 'refresh', 'authorization_code')"));

        JsonPath rotated = OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, tokens.getString("refresh_token")).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, Database.count(database, "select count(*) from token where authorization_id = ?", authorization),
                "a rotation writes the new refresh token and marks the old one used");
        assertEquals(1, Database.count(database, "select count(*) from token where authorization_id = ? and kind = 'refresh' and used_at is not null",
                authorization));
        assertEquals(authorization.toString(), SignedJWT.parse(rotated.getString("access_token")).getJWTClaimsSet()
                .getStringClaim(TokenIssuer.AUTHORIZATION_CLAIM), "the refreshed access token names the same authorization");
    }

    @Test
    void rfc7009_2_1_revokingOneAccessTokenRevokesThatJwtAlone() throws Exception {
        String session = Http.signUpSomeone();
        JsonPath first = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "profile:read");
        JsonPath second = OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, first.getString("refresh_token")).then().statusCode(200)
                .extract().jsonPath();
        String revoked = first.getString("access_token");
        String sibling = second.getString("access_token");
        Http.me(revoked).then().statusCode(200);

        assertEquals(200, revoke(revoked).statusCode());

        assertEquals(Map.of("active", false), introspect(revoked).jsonPath().getMap(""), "inactive at once");
        Http.me(revoked).then().statusCode(401);
        String jti = SignedJWT.parse(revoked).getJWTClaimsSet().getJWTID();
        assertEquals(1, Database.count(database, "select count(*) from revocation where kind = 'access_token' and subject = ?"
                + " and keep_until = to_timestamp(?)", jti, SignedJWT.parse(revoked).getJWTClaimsSet().getExpirationTime().getTime() / 1000.0),
                "on the list until the token would have expired");
        // The authorization, its other access token and its refresh token live on.
        assertEquals(true, introspect(sibling).jsonPath().getBoolean("active"));
        Http.me(sibling).then().statusCode(200);
        OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, second.getString("refresh_token")).then().statusCode(200);
    }

    @Test
    void rfc7009_2_1_aClientCredentialsTokenIsRevokedByItsJti() {
        String token = clientCredentialsToken("profile:read");
        String other = clientCredentialsToken("profile:read");
        assertEquals(200, revoke(token).statusCode());
        assertEquals(false, introspect(token).jsonPath().getBoolean("active"));
        assertEquals(true, introspect(other).jsonPath().getBoolean("active"));
    }

    @Test
    void deletingAClientRevokesEveryAccessTokenItWasIssuedThoughNoneIsStored() {
        Response created = asOperator().contentType(ContentType.JSON)
                .body(Map.of("grant_types", List.of("client_credentials"), "scope", "profile:read")).post("/admin/clients");
        created.then().statusCode(201);
        String id = created.path("client_id");
        String token = given().auth().preemptive().basic(id, created.path("client_secret")).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("scope", "profile:read").post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
        given().header("Authorization", "Bearer " + token).get("/v1/me").then().statusCode(200);
        assertEquals(true, introspect(token).jsonPath().getBoolean("active"));

        asOperator().delete("/admin/clients/" + id).then().statusCode(204);

        assertEquals(false, introspect(token).jsonPath().getBoolean("active"));
        given().header("Authorization", "Bearer " + token).get("/v1/me").then().statusCode(401);
        // Another client's tokens are untouched.
        assertEquals(true, introspect(clientCredentialsToken("profile:read")).jsonPath().getBoolean("active"));
    }

    /**
     * A JWT's iat comes from the clock of the node that signed it. A client_credentials token signed just
     * before the deletion by a node whose clock runs 30 s ahead (played by moving this node's clock) is
     * still covered by the client's entry.
     */
    @Test
    void aClientsTokenSignedByANodeWhoseClockRunsAheadIsRevokedWithTheClient() {
        Response created = asOperator().contentType(ContentType.JSON)
                .body(Map.of("grant_types", List.of("client_credentials"), "scope", "profile:read")).post("/admin/clients");
        String id = created.path("client_id");
        clock.advance(Duration.ofSeconds(30));
        String token = given().auth().preemptive().basic(id, created.path("client_secret")).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("scope", "profile:read").post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
        clock.reset();
        assertEquals(true, introspect(token).jsonPath().getBoolean("active"));

        asOperator().delete("/admin/clients/" + id).then().statusCode(204);

        assertEquals(false, introspect(token).jsonPath().getBoolean("active"));
    }

    /**
     * The same for an account: a person's JWT signed 30 s ahead (a node whose clock runs ahead, within the
     * allowed skew) is covered by the account's one entry when the account is disabled.
     */
    @Test
    void disablingAnAccountRevokesAJwtSignedByANodeWhoseClockRunsAhead() throws Exception {
        String session = Http.signUp(Http.newEmail());
        clock.advance(Duration.ofSeconds(30));
        String jwt = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "profile:read").getString("access_token");
        clock.reset();
        assertEquals(true, introspect(jwt).jsonPath().getBoolean("active"));
        String account = SignedJWT.parse(jwt).getJWTClaimsSet().getSubject();

        asOperator().post("/admin/accounts/" + account + "/disable").then().statusCode(200);

        assertEquals(false, introspect(jwt).jsonPath().getBoolean("active"));
        assertEquals(1, Database.count(database, "select count(*) from revocation where kind = 'account' and subject = ?", account),
                "one entry for the account, however many authorizations it holds");
    }

    /** Each node measures its clock against PostgreSQL's at start; a clock far ahead shows. */
    @Test
    void aNodesClockIsMeasuredAgainstPostgres() {
        assertTrue(clockCheck.measure().orElseThrow().abs().compareTo(Duration.ofSeconds(5)) < 0, "this node's clock is PostgreSQL's");
        clock.advance(Duration.ofMinutes(2));
        Duration skew = clockCheck.measure().orElseThrow();
        assertTrue(skew.compareTo(Duration.ofSeconds(115)) > 0 && skew.compareTo(Duration.ofSeconds(125)) < 0, skew::toString);
    }

    @Test
    void aReplayedCodeRevokesTheAccessTokensOfItsAuthorizationEvenAfterARefresh() throws Exception {
        String session = Http.signUpSomeone();
        String verifier = OAuthDriver.verifier();
        String code = OAuthDriver.code(session, OAuthDriver.request(DEMO_CLIENT, "profile:read", verifier));
        JsonPath first = OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, verifier).then().statusCode(200).extract().jsonPath();
        JsonPath refreshed = OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, first.getString("refresh_token")).then().statusCode(200)
                .extract().jsonPath();
        assertNotEquals(first.getString("access_token"), refreshed.getString("access_token"));
        String unrelated = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "profile:read").getString("access_token");

        OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, verifier).then().statusCode(400);

        assertEquals(false, introspect(first.getString("access_token")).jsonPath().getBoolean("active"));
        assertEquals(false, introspect(refreshed.getString("access_token")).jsonPath().getBoolean("active"));
        assertEquals(false, introspect(refreshed.getString("refresh_token")).jsonPath().getBoolean("active"));
        assertTrue(introspect(unrelated).jsonPath().getBoolean("active"), "the person's other authorization lives on");
    }
}
