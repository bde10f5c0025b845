package dev.gatehouse.web;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The self-service key page (seed 000's /account/api-tokens), driven as a browser would. */
@QuarkusTest
class ApiTokensPageTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("gth_live_[0-9A-Za-z]{38}");

    @Test
    void withoutASessionThePageSendsYouToSignIn() {
        given().redirects().follow(false).get("/account/api-tokens").then().statusCode(303)
                .header("Location", containsString("/login?return_to=/account/api-tokens"));
    }

    @Test
    void pagesCannotBeFramedAndLeakNoReferrer() {
        given().get("/login").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .body(containsString("<form method=\"post\" action=\"/login\""));
    }

    @Test
    void createShowsTheKeyOnceThenOnlyItsPreview() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body(containsString("value=\"profile:read\"")).extract().asString();

        String created = asPerson(session).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(page)).formParam("label", "from the page")
                .formParam("scope", "profile:read").formParam("scope", "jobs:read")
                .formParam("expires_on", "2099-12-31").formParam("environment", "live")
                .post("/account/api-tokens").then().statusCode(201)
                .body(containsString("shown this once")).extract().asString();
        Matcher key = KEY.matcher(created);
        assertTrue(key.find(), "the new key is on the page");
        String rawKey = key.group();
        me(rawKey).then().statusCode(200).body("key.scopes.size()", equalTo(2))
                .body("key.expiresAt", equalTo("2100-01-01T00:00:00Z"));

        String later = asPerson(session).get("/account/api-tokens").then().statusCode(200).extract().asString();
        assertFalse(later.contains(rawKey), "never shown again");
        assertTrue(later.contains(rawKey.substring(0, 14) + "…" + rawKey.substring(rawKey.length() - 4)), "its preview is");
        assertTrue(later.contains("from the page"));
    }

    @Test
    void formsWithoutTheCsrfTokenChangeNothing() {
        String session = Http.signUpSomeone();
        asPerson(session).contentType(ContentType.URLENC)
                .formParam("label", "forged").formParam("scope", "profile:read")
                .post("/account/api-tokens").then().statusCode(403).body(not(containsString("shown this once")));
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", "guess")
                .formParam("label", "forged").formParam("scope", "profile:read")
                .post("/account/api-tokens").then().statusCode(403);
        assertEquals(0, Http.listKeys(session).size());
    }

    @Test
    void aFormWithoutScopesExplainsWhatIsMissing() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").asString();
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", "no scopes")
                .post("/account/api-tokens").then().statusCode(400).body(containsString("at least one scope"));
        assertEquals(0, Http.listKeys(session).size());
    }

    @Test
    void revokeFromThePage() {
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, java.util.List.of("profile:read"));
        String page = asPerson(session).get("/account/api-tokens").asString();
        asPerson(session).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(page))
                .post("/account/api-tokens/" + key.get("id") + "/revoke")
                .then().statusCode(303).header("Location", containsString("/account/api-tokens"));
        me((String) key.get("rawKey")).then().statusCode(401);
        asPerson(session).get("/account/api-tokens").then().body(containsString("revoked"));
    }

    /** A date no calendar holds is bad input, shown on the page, not a 500. */
    @Test
    void anImpossibleExpiryDateIsRefusedOnThePage() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").asString();
        for (String date : java.util.List.of("+999999999-12-31", "9999-12-31", "2026-02-30")) {
            asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", "far")
                    .formParam("scope", "profile:read").formParam("expires_on", date)
                    .post("/account/api-tokens").then().statusCode(400).body(containsString("class=\"error\""));
        }
        assertEquals(0, Http.listKeys(session).size());
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertTrue(matcher.find(), "the page carries a CSRF token");
        return matcher.group(1);
    }
}
