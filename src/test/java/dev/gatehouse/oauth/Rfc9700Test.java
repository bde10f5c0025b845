package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthDriver.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthDriver.DEMO_SECRET;
import static dev.gatehouse.testing.OAuthDriver.ISSUER;
import static dev.gatehouse.testing.OAuthDriver.REDIRECT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each row of specs.md §7 (RFC 9700) that applies to an authorization server, named after its section. */
@QuarkusTest
class Rfc9700Test {
    @Inject
    TokenStore store;

    @Inject
    dev.gatehouse.keys.JwtSigner signer;

    @Inject
    io.agroal.api.AgroalDataSource database;

    private static Map<String, String> back(Response answer) {
        assertEquals(303, answer.statusCode(), answer.asString());
        return OAuthDriver.query(answer.getHeader("Location"));
    }

    @Test
    void rfc9700_4_1_3_redirectUriIsMatchedExactly_noRedirectOnMismatch() {
        String session = Http.signUpSomeone();
        for (String wrong : new String[] {REDIRECT + "/", REDIRECT + "?x=1", "http://127.0.0.1/other", "https://evil.example/callback"}) {
            Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
            params.put("redirect_uri", wrong);
            Response answer = OAuthDriver.authorize(session, params);
            assertEquals(400, answer.statusCode(), wrong);
            assertNull(answer.getHeader("Location"), "never redirect to an unregistered URI: " + wrong);
            assertTrue(answer.asString().contains("not registered"));
        }
    }

    @Test
    void rfc9700_4_1_3_loopbackRedirectMayUseAnyPort() {
        String session = Http.signUpSomeone();
        Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        params.put("redirect_uri", "http://127.0.0.1:53111/callback");
        Response answer = OAuthDriver.authorize(session, params);
        assertEquals(200, answer.statusCode(), "consent page, the port is free for loopback (RFC 8252 §7.3)");
    }

    @Test
    void rfc9700_4_11_unknownClientGetsAnErrorPageNotARedirect() {
        Map<String, String> params = OAuthDriver.request("no-such-client", "profile:read", OAuthDriver.verifier());
        Response answer = OAuthDriver.authorize(Http.signUpSomeone(), params);
        assertEquals(400, answer.statusCode());
        assertNull(answer.getHeader("Location"));
        answer.then().body(containsString("Unknown client"));
    }

    @Test
    void rfc9700_4_4_issIsOnSuccessAndOnErrorRedirects_rfc9207() {
        String session = Http.signUpSomeone();
        Map<String, String> ok = OAuthDriver.request(OAuthDriver.DASHBOARD, "profile:read", OAuthDriver.verifier());
        assertEquals(ISSUER, back(OAuthDriver.authorize(session, ok)).get("iss"));

        Map<String, String> badScope = OAuthDriver.request(DEMO_CLIENT, "not:a-scope", OAuthDriver.verifier());
        Map<String, String> error = back(OAuthDriver.authorize(session, badScope));
        assertEquals("invalid_scope", error.get("error"));
        assertEquals(badScope.get("state"), error.get("state"));
        assertEquals(ISSUER, error.get("iss"));
    }

    @Test
    void rfc9700_4_12_credentialPostsAnswer303NeverA307() {
        String email = Http.newEmail();
        Http.signUp(email);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("email", email).formParam("password", Http.PASSWORD).post("/login")
                .then().statusCode(303);
        String session = Http.signUpSomeone();
        String page = OAuthDriver.authorize(session, OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier())).asString();
        assertEquals(303, OAuthDriver.decide(session, page, "allow").statusCode());
    }

    @Test
    void rfc9700_2_1_1_pkceIsRequiredForEveryClientAndOnlyS256() {
        String session = Http.signUpSomeone();
        Map<String, String> none = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        none.remove("code_challenge");
        none.remove("code_challenge_method");
        Map<String, String> error = back(OAuthDriver.authorize(session, none));
        assertEquals("invalid_request", error.get("error"));
        assertTrue(error.get("error_description").contains("code challenge required"));

        Map<String, String> plain = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        plain.put("code_challenge_method", "plain");
        assertEquals("invalid_request", back(OAuthDriver.authorize(session, plain)).get("error"));
    }

    @Test
    void rfc7636_wrongOrMissingVerifierIsInvalidGrant() {
        String session = Http.signUpSomeone();
        String verifier = OAuthDriver.verifier();
        String code = OAuthDriver.code(session, OAuthDriver.request(DEMO_CLIENT, "profile:read", verifier));
        OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, OAuthDriver.verifier()).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        String second = OAuthDriver.code(session, OAuthDriver.request(DEMO_CLIENT, "profile:read", verifier));
        OAuthDriver.authenticated(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", second)
                .formParam("redirect_uri", REDIRECT), DEMO_CLIENT, DEMO_SECRET)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    /**
     * A code issued without a challenge (as an older flow might have) must not accept a verifier. Since issue
     * 11 none can exist: the code's authorization must hold a challenge (schema), and a code stored without
     * an authorization is unknown.
     */
    @Test
    void rfc9700_2_1_1_verifierWithoutChallengeIsRefused_downgrade() throws Exception {
        String code = "legacy-" + UUID.randomUUID();
        store.issue(code, NewToken.of(TokenKind.AUTHORIZATION_CODE, null).withClient(DEMO_CLIENT)
                .withScopes(java.util.List.of("profile:read")).expiringAt(Instant.now().plusSeconds(60)));
        OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, OAuthDriver.verifier()).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        try (var connection = database.getConnection(); var insert = connection.prepareStatement(
                "insert into oauth_authorization (id, client_id, account_id, grant_type, scopes, audience, redirect_uri,"
                        + " redirect_uri_given, expires_at) select gen_random_uuid(), 'demo-app', id, 'authorization_code', '{}', '{}',"
                        + " 'http://127.0.0.1/callback', true, now() + interval '1 day' from account limit 1")) {
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, insert::executeUpdate);
            org.junit.jupiter.api.Assertions.assertEquals("23514", refused.getSQLState(), "a check constraint: " + refused.getMessage());
        }
    }

    @Test
    void rfc9700_2_1_2_implicitIsRefused() {
        Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        params.put("response_type", "token");
        Map<String, String> error = back(OAuthDriver.authorize(Http.signUpSomeone(), params));
        assertEquals("unsupported_response_type", error.get("error"));
        assertNull(error.get("access_token"));
    }

    @Test
    void rfc9700_2_4_passwordGrantIsRefused() {
        given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("username", "demo@gatehouse.local").formParam("password", "demo-password-123")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"))
                .body("access_token", nullValue());
    }

    @Test
    void rfc9700_4_2_codeIsSingleUseAndReuseRevokesWhatItIssued() {
        String session = Http.signUpSomeone();
        String verifier = OAuthDriver.verifier();
        String code = OAuthDriver.code(session, OAuthDriver.request(DEMO_CLIENT, "profile:read", verifier));
        var first = OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, verifier).then().statusCode(200).extract().jsonPath();
        Http.me(first.getString("access_token")).then().statusCode(200);

        OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, code, verifier).then().statusCode(400).body("error", equalTo("invalid_grant"));

        Http.me(first.getString("access_token")).then().statusCode(401);
        OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, first.getString("refresh_token")).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void rfc9700_4_14_refreshTokensRotateAndReuseRevokesTheFamilyOnly() {
        String session = Http.signUpSomeone();
        var family = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "profile:read");
        var otherSession = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "profile:read");

        var rotated = OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, family.getString("refresh_token")).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath();
        assertNotEquals(family.getString("refresh_token"), rotated.getString("refresh_token"), "a new refresh token each time");
        Http.me(rotated.getString("access_token")).then().statusCode(200);

        // The old refresh token comes back: stolen. The family dies; the person's other grant lives.
        OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, family.getString("refresh_token")).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, rotated.getString("refresh_token")).then().statusCode(400);
        Http.me(rotated.getString("access_token")).then().statusCode(401);

        Http.me(otherSession.getString("access_token")).then().statusCode(200);
        OAuthDriver.refresh(DEMO_CLIENT, DEMO_SECRET, otherSession.getString("refresh_token")).then().statusCode(200);
    }

    @Test
    void rfc9700_4_16_authorizationLoginAndErrorPagesCannotBeFramed() {
        String session = Http.signUpSomeone();
        Response consent = OAuthDriver.authorize(session, OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier()));
        Response error = OAuthDriver.authorize(session, OAuthDriver.request("nobody", "profile:read", OAuthDriver.verifier()));
        Response login = given().get("/login");
        for (Response page : new Response[] {consent, error, login}) {
            page.then().header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer");
        }
    }

    @Test
    void rfc9700_2_6_noCorsOnTheAuthorizationEndpoint() {
        Response preflight = given().header("Origin", "https://app.example").header("Access-Control-Request-Method", "GET")
                .options("/oauth2/authorize");
        assertNull(preflight.getHeader("Access-Control-Allow-Origin"));
        Response get = given().redirects().follow(false).header("Origin", "https://app.example")
                .queryParams(OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier())).get("/oauth2/authorize");
        assertNull(get.getHeader("Access-Control-Allow-Origin"));
    }

    /** RFC 6749 §4.1.2: state comes back exactly, whatever characters it holds. */
    @Test
    void rfc6749_4_1_2_stateIsReturnedExactly() {
        String session = Http.signUpSomeone();
        for (String state : new String[] {"x{y}z", "a%41b", "spaces and &=?#", "ünïcødé"}) {
            Map<String, String> params = OAuthDriver.request(OAuthDriver.DASHBOARD, "profile:read", OAuthDriver.verifier());
            params.put("state", state);
            assertEquals(state, back(OAuthDriver.authorize(session, params)).get("state"), state);
            Map<String, String> refused = OAuthDriver.request(DEMO_CLIENT, "{not} a%20scope", OAuthDriver.verifier());
            refused.put("state", state);
            Map<String, String> error = back(OAuthDriver.authorize(session, refused));
            assertEquals("invalid_scope", error.get("error"));
            assertEquals(state, error.get("state"), state);
        }
    }

    /** Browsers apply form-action to the redirects after a form post: the consent page must allow the client's origin. */
    @Test
    void consentPagePolicyLetsTheFormEndAtTheClient() {
        String session = Http.signUpSomeone();
        Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        params.put("redirect_uri", "http://127.0.0.1:53111/callback");
        OAuthDriver.authorize(session, params).then().statusCode(200)
                .header("Content-Security-Policy", containsString("form-action 'self' http://127.0.0.1:53111"));
        given().get("/login").then().header("Content-Security-Policy", org.hamcrest.Matchers.not(containsString("form-action")));
        given().get("/signup").then().header("Content-Security-Policy", containsString("form-action 'self'"));
    }

    @Test
    void rfc9700_2_1_1_pkceSupportIsAdvertised() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("code_challenge_methods_supported", equalTo(java.util.List.of("S256")));
    }

    /** A JWT signed with Gatehouse's own key is still refused when it is for another audience or was never issued. */
    @Test
    void rfc9700_2_3_accessTokensAreAudienceRestricted() {
        com.nimbusds.jwt.JWTClaimsSet.Builder claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer(ISSUER).subject(UUID.randomUUID().toString()).jwtID(UUID.randomUUID().toString())
                .issueTime(new java.util.Date()).expirationTime(java.util.Date.from(Instant.now().plusSeconds(300)))
                .claim("client_id", DEMO_CLIENT).claim("scope", "profile:read");
        com.nimbusds.jose.JOSEObjectType atJwt = new com.nimbusds.jose.JOSEObjectType("at+jwt");
        String otherAudience = signer.sign(atJwt, claims.audience("https://other.example/api").build());
        String neverIssued = signer.sign(atJwt, claims.audience(ISSUER).build());
        Http.me(otherAudience).then().statusCode(401);
        Http.me(neverIssued).then().statusCode(401);

        String issued = given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "profile:read").post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
        Http.me(issued).then().statusCode(200);
    }

    @Test
    void rfc9700_2_6_plainHttpRedirectUrisOnlyOnLoopback() {
        given().contentType("application/json").body(Map.of("redirect_uris", java.util.List.of("http://app.example/callback")))
                .post("/oauth2/register").then().statusCode(400).body("error", equalTo("invalid_redirect_uri"));
        given().contentType("application/json").body(Map.of("redirect_uris", java.util.List.of("http://127.0.0.1:8765/callback")))
                .post("/oauth2/register").then().statusCode(201);
    }

    /** Without configured proxy forwarding, a client-supplied X-Forwarded-For cannot dodge sign-in throttling. */
    @Test
    void rfc9700_4_13_forwardingHeadersAreNotTrustedForSecurityDecisions() {
        String email = Http.newEmail();
        Http.signUp(email);
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "203.0.113." + i).contentType("application/json")
                    .body(Map.of("email", email, "password", "wrong guess " + i)).post("/login").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "203.0.113.99").contentType("application/json")
                .body(Map.of("email", email, "password", Http.PASSWORD)).post("/login").then().statusCode(429);
    }

    @Test
    void rfc8707_unknownResourceIsInvalidTarget() {
        Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        params.put("resource", "https://other.example/api");
        assertEquals("invalid_target", back(OAuthDriver.authorize(Http.signUpSomeone(), params)).get("error"));
    }
}
