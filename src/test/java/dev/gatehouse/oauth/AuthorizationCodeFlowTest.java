package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthDriver.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthDriver.DEMO_SECRET;
import static dev.gatehouse.testing.OAuthDriver.ISSUER;
import static dev.gatehouse.testing.OAuthDriver.REDIRECT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Authorization code + PKCE driven through the real login and consent pages, as a browser would. */
@QuarkusTest
class AuthorizationCodeFlowTest {

    @Test
    void fullFlowThroughLoginAndConsentPages() throws Exception {
        String email = Http.newEmail();
        Http.signUp(email);
        String verifier = OAuthDriver.verifier();
        Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "openid email profile:read", verifier);
        params.put("nonce", "n-0S6_WzA2Mj");

        // 1. Not signed in: to the login page, which will bring the browser back.
        Response toLogin = OAuthDriver.authorize(null, params);
        assertEquals(303, toLogin.statusCode());
        String loginUrl = toLogin.getHeader("Location");
        assertTrue(loginUrl.contains("/login?return_to="), loginUrl);
        // Follow Location verbatim, as a browser does (rest-assured would encode it again).
        String loginPage = given().urlEncodingEnabled(false).get(java.net.URI.create(loginUrl).getRawPath() + "?" + java.net.URI.create(loginUrl).getRawQuery())
                .then().statusCode(200).extract().asString();
        java.util.regex.Matcher hidden = java.util.regex.Pattern.compile("name=\"return_to\" value=\"([^\"]*)\"").matcher(loginPage);
        assertTrue(hidden.find(), "the login page carries the way back");
        String returnTo = hidden.group(1).replace("&amp;", "&");

        // 2. The login form (303 after a credential POST) returns to the authorization request.
        Response signedIn = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("email", email).formParam("password", Http.PASSWORD).formParam("return_to", returnTo)
                .post("/login");
        assertEquals(303, signedIn.statusCode());
        String session = signedIn.getCookie(Http.SESSION_COOKIE);
        assertTrue(signedIn.getHeader("Location").contains("/oauth2/authorize?"), signedIn.getHeader("Location") + " from " + returnTo);

        // 3. The consent page lists the scopes and the redirect host, and cannot be framed.
        Response consent = given().urlEncodingEnabled(false).redirects().follow(false).cookie(Http.SESSION_COOKIE, session)
                .get(java.net.URI.create(signedIn.getHeader("Location")).getRawPath() + "?"
                        + java.net.URI.create(signedIn.getHeader("Location")).getRawQuery());
        consent.then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .body(containsString("profile:read")).body(containsString("127.0.0.1")).body(containsString("Demo app"));

        // 4. Allow: 303 to the client with code, state and iss (RFC 9207).
        Response approved = OAuthDriver.decide(session, consent.asString(), "allow");
        assertEquals(303, approved.statusCode());
        Map<String, String> back = OAuthDriver.query(approved.getHeader("Location"));
        assertTrue(approved.getHeader("Location").startsWith(REDIRECT + "?"));
        assertEquals(params.get("state"), back.get("state"));
        assertEquals(ISSUER, back.get("iss"));

        // 5. The code and the verifier buy tokens.
        var tokens = OAuthDriver.exchange(DEMO_CLIENT, DEMO_SECRET, back.get("code"), verifier).then().statusCode(200)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("refresh_token", notNullValue())
                .body("scope", equalTo("openid email profile:read"))
                .extract().jsonPath();

        // 6. An independent verifier, from the JWKS alone, accepts the access token (RFC 9068).
        JWTClaimsSet access = verifyFromJwks(tokens.getString("access_token"), new JOSEObjectType("at+jwt"));
        assertEquals(ISSUER, access.getIssuer());
        assertEquals(ISSUER, access.getAudience().getFirst());
        assertEquals(DEMO_CLIENT, access.getStringClaim("client_id"));
        assertEquals("openid email profile:read", access.getStringClaim("scope"));
        assertTrue(access.getJWTID() != null && access.getIssueTime() != null && access.getExpirationTime() != null);
        String subject = access.getSubject();

        // 7. The ID token names the same person, for this client, with the nonce.
        JWTClaimsSet id = verifyFromJwks(tokens.getString("id_token"), JOSEObjectType.JWT);
        assertEquals(subject, id.getSubject());
        assertEquals(DEMO_CLIENT, id.getAudience().getFirst());
        assertEquals("n-0S6_WzA2Mj", id.getStringClaim("nonce"));
        assertTrue(id.getClaim("auth_time") != null);

        // 8. The access token works at the API and at userinfo.
        Http.me(tokens.getString("access_token")).then().statusCode(200)
                .body("account.email", equalTo(email)).body("key.kind", equalTo("access"));
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/oauth2/userinfo")
                .then().statusCode(200).body("sub", equalTo(subject)).body("email", equalTo(email));
    }

    @Test
    void firstPartyDashboardSkipsConsentAndGetsTokensAsAPublicClient() {
        String session = Http.signUpSomeone();
        String verifier = OAuthDriver.verifier();
        Response answer = OAuthDriver.authorize(session, OAuthDriver.request(OAuthDriver.DASHBOARD, "openid profile:read", verifier));
        assertEquals(303, answer.statusCode(), "no consent page for the first-party client");
        String code = OAuthDriver.query(answer.getHeader("Location")).get("code");
        OAuthDriver.exchange(OAuthDriver.DASHBOARD, null, code, verifier).then().statusCode(200)
                .body("access_token", notNullValue()).body("refresh_token", notNullValue());
    }

    @Test
    void denyingConsentSendsAccessDeniedBack() {
        String session = Http.signUpSomeone();
        Map<String, String> params = OAuthDriver.request(DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        String page = OAuthDriver.authorize(session, params).then().statusCode(200).extract().asString();
        Response denied = OAuthDriver.decide(session, page, "deny");
        assertEquals(303, denied.statusCode());
        Map<String, String> back = OAuthDriver.query(denied.getHeader("Location"));
        assertEquals("access_denied", back.get("error"));
        assertEquals(params.get("state"), back.get("state"));
        assertEquals(ISSUER, back.get("iss"));
    }

    static JWTClaimsSet verifyFromJwks(String jwt, JOSEObjectType type) throws Exception {
        JWKSet jwks = JWKSet.parse(given().get("/oauth2/jwks").then().statusCode(200).extract().asString());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256),
                new ImmutableJWKSet<>(jwks)));
        return processor.process(jwt, null);
    }
}
