package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthFlow.ISSUER;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the code flow for a dynamically registered public client: optional parameters that the
 * specifications allow a client to leave out.
 */
@QuarkusTest
class AuthorizationCodeGrantTest {
    private static final String REDIRECT = "http://127.0.0.1:33420/callback";

    /**
     * RFC 6749 §4.1.3 (and OAuth 2.1 §4.1.3): redirect_uri is required at the token endpoint only if it was
     * included in the authorization request. A client with a single registered redirect URI may leave it
     * out of both (§3.1.2.3).
     */
    @Test
    void rfc6749_4_1_3_redirectUriMayBeOmittedAtTheTokenEndpointWhenTheRequestOmittedIt() {
        String clientId = OAuthFlow.registerPublicClient(REDIRECT);
        String session = Http.signUpSomeone();
        String verifier = OAuthFlow.newVerifier();
        String state = OAuthFlow.newState();

        Response consent = given().redirects().follow(false).cookie(Http.SESSION_COOKIE, session)
                .queryParam("response_type", "code")
                .queryParam("client_id", clientId)
                .queryParam("scope", "profile:read")
                .queryParam("state", state)
                .queryParam("code_challenge", OAuthFlow.s256(verifier))
                .queryParam("code_challenge_method", "S256")
                .get("/oauth2/authorize");
        assertEquals(200, consent.statusCode(), "the consent page, without redirect_uri (one is registered)");
        Response approved = OAuthFlow.decide(session, consent.asString(), "allow", "/oauth2/authorize");
        assertEquals(303, approved.statusCode(), approved.asString());
        String location = approved.header("Location");
        assertTrue(location.startsWith(REDIRECT + "?"), "sent to the one registered URI: " + location);
        Map<String, String> callback = OAuthFlow.queryOf(location);
        assertEquals(state, callback.get("state"));
        String code = callback.get("code");
        assertNotNull(code, location);

        Response tokens = given().contentType(ContentType.URLENC)
                .formParam("client_id", clientId)
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .formParam("code_verifier", verifier)
                .post("/oauth2/token");
        assertEquals(200, tokens.statusCode(),
                "redirect_uri was not in the authorization request, so the token request need not repeat it: " + tokens.asString());
        assertNotNull(tokens.jsonPath().getString("access_token"));
    }

    /**
     * RFC 8707 §2 / RFC 9728 §3.3: Gatehouse accepts the resource with a trailing slash as its own
     * ("http://localhost:8080/" is known), so the token it issues must be usable at that resource. When the
     * token request does not repeat the resource, the access token's aud must still be the resource
     * identifier the resource server expects (the protected-resource metadata's "resource"), and the
     * token must keep working at GET /v1/me once the per-node token cache (5 s) no longer vouches for it.
     */
    @Test
    void rfc8707_2_accessTokenIsForTheCanonicalResourceWhenTheTokenRequestOmitsIt() throws Exception {
        String resource = given().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .extract().jsonPath().getString("resource");
        assertEquals(ISSUER, resource);
        String clientId = OAuthFlow.registerPublicClient(REDIRECT);
        String session = Http.signUpSomeone();
        OAuthFlow.Request request = OAuthFlow.Request.of(clientId, REDIRECT, "profile:read").withResource(resource + "/");
        String code = OAuthFlow.code(session, request);

        // The token request leaves resource out: RFC 8707 §2.2 makes it optional there.
        Response tokens = given().contentType(ContentType.URLENC)
                .formParam("client_id", clientId)
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", request.verifier())
                .post("/oauth2/token");
        assertEquals(200, tokens.statusCode(), tokens.asString());
        String access = tokens.jsonPath().getString("access_token");
        assertEquals(200, Http.me(access).statusCode(), "works while this node has the token cached");
        // Control: a token whose aud is the canonical resource, issued at the same time.
        String control = OAuthFlow.clientCredentialsToken("profile:read");

        // gatehouse.token-cache.ttl defaults to 5 s; after it, the JWT is verified from scratch.
        Thread.sleep(5_500);
        assertEquals(200, Http.me(control).statusCode(), "control: an uncached token for the canonical resource works");
        Response me = Http.me(access);
        List<String> audience = SignedJWT.parse(access).getJWTClaimsSet().getAudience();
        assertAll(
                () -> assertEquals(200, me.statusCode(), "a live access token stops working once uncached: " + me.asString()),
                () -> assertTrue(audience.contains(resource), "aud " + audience + " does not name the resource " + resource));
    }
}
