package dev.gatehouse.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the authorization endpoint sends its errors. Issue 10 finding 4: a client that registered itself
 * named https://evil.example and used our errors as an open redirector (RFC 9700 §4.11.2). Finding 10:
 * {@code prompt=none} was ignored (OIDC Core §3.1.2.1).
 */
@QuarkusTest
class AuthorizeErrorsTest {
    private static final String EVIL = "https://evil.example/phish";

    private static String registerItself(String redirectUri) {
        return given().contentType("application/json")
                .body(Map.of("client_name", "Some app", "redirect_uris", List.of(redirectUri)))
                .post("/oauth2/register").then().statusCode(201).extract().path("client_id");
    }

    private static Map<String, String> request(String clientId, String redirectUri) {
        Map<String, String> params = OAuthDriver.request(clientId, "profile:read", OAuthDriver.verifier());
        params.put("redirect_uri", redirectUri);
        return params;
    }

    @Test
    void aSelfRegisteredClientsErrorsStayOnOurPageForAnyone() {
        String client = registerItself(EVIL);
        Map<String, String> params = request(client, EVIL);
        params.put("response_type", "token");
        // Without sign-in: the attack of the finding.
        Response anonymous = given().redirects().follow(false).queryParams(params).get("/oauth2/authorize");
        assertEquals(400, anonymous.statusCode(), anonymous.asString());
        assertNull(anonymous.getHeader("Location"), "never sent on to an unvetted host");
        anonymous.then().body(containsString("evil.example"));
        // Signed in, but never approved it: the same.
        Response signedIn = OAuthDriver.authorize(Http.signUpSomeone(), params);
        assertEquals(400, signedIn.statusCode());
        assertNull(signedIn.getHeader("Location"));
    }

    /** The consent form's POST, sent from anywhere without a session or its token, never redirects either. */
    @Test
    void aForgedConsentPostDoesNotRedirect() {
        String client = registerItself(EVIL);
        Map<String, String> params = request(client, EVIL);
        params.put("response_type", "token");
        Response forged = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParams(params)
                .formParam("decision", "allow").post("/oauth2/authorize");
        assertEquals(403, forged.statusCode());
        assertNull(forged.getHeader("Location"));
    }

    @Test
    void onceThePersonApprovedTheClientItsErrorsGoBackToIt() {
        String redirect = "https://app.example/callback";
        String client = registerItself(redirect);
        String session = Http.signUpSomeone();
        Map<String, String> approve = request(client, redirect);
        Response consent = OAuthDriver.authorize(session, approve);
        assertEquals(200, consent.statusCode());
        assertEquals(303, OAuthDriver.decide(session, consent.asString(), "allow").statusCode());

        Map<String, String> bad = request(client, redirect);
        bad.put("response_type", "token");
        Response answer = OAuthDriver.authorize(session, bad);
        assertEquals(303, answer.statusCode(), answer.asString());
        assertTrue(answer.getHeader("Location").startsWith(redirect + "?"));
        assertEquals("unsupported_response_type", OAuthDriver.query(answer.getHeader("Location")).get("error"));
    }

    @Test
    void operatorMadeClientsGetTheirErrorsAsBefore() {
        Map<String, String> bad = OAuthDriver.request(OAuthDriver.DEMO_CLIENT, "not:a-scope", OAuthDriver.verifier());
        Response answer = given().redirects().follow(false).queryParams(bad).get("/oauth2/authorize");
        assertEquals(303, answer.statusCode());
        assertEquals("invalid_scope", OAuthDriver.query(answer.getHeader("Location")).get("error"));
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequired() {
        Map<String, String> params = OAuthDriver.request(OAuthDriver.DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        params.put("prompt", "none");
        Response answer = given().redirects().follow(false).queryParams(params).get("/oauth2/authorize");
        assertEquals(303, answer.statusCode());
        Map<String, String> back = OAuthDriver.query(answer.getHeader("Location"));
        assertEquals("login_required", back.get("error"));
        assertEquals(params.get("state"), back.get("state"));
        assertTrue(answer.getHeader("Location").startsWith(OAuthDriver.REDIRECT), "to the client, not to /login");
    }

    @Test
    void promptNoneWhereConsentIsNeededIsConsentRequired() {
        Map<String, String> params = OAuthDriver.request(OAuthDriver.DEMO_CLIENT, "profile:read", OAuthDriver.verifier());
        params.put("prompt", "none");
        Response answer = OAuthDriver.authorize(Http.signUpSomeone(), params);
        assertEquals(303, answer.statusCode(), "no consent page");
        assertEquals("consent_required", OAuthDriver.query(answer.getHeader("Location")).get("error"));
    }

    @Test
    void promptNoneWhereNothingIsNeededGivesACodeSilently() {
        Map<String, String> params = OAuthDriver.request(OAuthDriver.DASHBOARD, "profile:read", OAuthDriver.verifier());
        params.put("prompt", "none");
        Response answer = OAuthDriver.authorize(Http.signUpSomeone(), params);
        assertEquals(303, answer.statusCode());
        assertTrue(OAuthDriver.query(answer.getHeader("Location")).containsKey("code"));
    }

    @Test
    void promptNoneWithAnotherValueIsInvalidAndPromptConsentShowsThePage() {
        String session = Http.signUpSomeone();
        Map<String, String> mixed = OAuthDriver.request(OAuthDriver.DASHBOARD, "profile:read", OAuthDriver.verifier());
        mixed.put("prompt", "none consent");
        assertEquals("invalid_request", OAuthDriver.query(OAuthDriver.authorize(session, mixed).getHeader("Location")).get("error"));
        Map<String, String> consent = OAuthDriver.request(OAuthDriver.DASHBOARD, "profile:read", OAuthDriver.verifier());
        consent.put("prompt", "consent");
        assertEquals(200, OAuthDriver.authorize(session, consent).statusCode(), "the consent page, though the dashboard skips it otherwise");
    }
}
