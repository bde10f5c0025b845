package dev.gatehouse.pages;

import static dev.gatehouse.testing.Http.asPerson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 12 §3: /account/apps lists the apps a person authorised and revokes one at once. */
@QuarkusTest
class AppsPageTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Test
    void anAuthorisedAppIsListedAndRevokedWithEveryTokenAndItsConsent() {
        String session = Http.signUpSomeone();
        asPerson(session).get("/account/apps").then().statusCode(200).body(containsString("No app has access"));

        Map<String, Object> tokens = OAuthFlow.demoAppTokens(session, "openid profile:read offline_access");
        String page = asPerson(session).get("/account/apps").then().statusCode(200)
                .body(containsString("<h3>Demo app</h3>")).body(containsString("<code>profile:read</code>"))
                .body(containsString("Read the account profile")).body(containsString("<time datetime=")).extract().asString();
        OAuthFlow.introspect((String) tokens.get("access_token")).then().body("active", equalTo(true));

        asPerson(session).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(page))
                .formParam("client_id", OAuthFlow.DEMO_CLIENT).post("/account/apps/revoke").then().statusCode(303)
                .header("Location", containsString("/account/apps"));

        OAuthFlow.introspect((String) tokens.get("access_token")).then().body("active", equalTo(false));
        OAuthFlow.asDemoClient().formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.get("refresh_token"))
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        asPerson(session).get("/account/apps").then().body(containsString("No app has access"))
                .body(not(containsString("<h3>Demo app</h3>")));
        // The consent went with it: the app must ask again.
        OAuthFlow.startAuthorization(session, OAuthFlow.Request.of(OAuthFlow.DEMO_CLIENT, OAuthFlow.LOOPBACK_CALLBACK, "profile:read"))
                .then().statusCode(200).body(containsString("Allow"));
        asPerson(session).get("/account/security").then().body(containsString("An app&#39;s access was revoked"));
    }

    @Test
    void revokingWhatIsNotThereOrWithoutTheCsrfTokenChangesNothing() {
        String session = Http.signUpSomeone();
        Map<String, Object> tokens = OAuthFlow.demoAppTokens(session, "profile:read");
        String page = asPerson(session).get("/account/apps").asString();
        asPerson(session).contentType(ContentType.URLENC).formParam("client_id", OAuthFlow.DEMO_CLIENT)
                .post("/account/apps/revoke").then().statusCode(403);
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("client_id", "someone-else")
                .post("/account/apps/revoke").then().statusCode(404).body(containsString("no access to revoke"));
        // Another person's revoke of the same app touches only their own authorizations.
        String other = Http.signUpSomeone();
        String otherPage = asPerson(other).get("/account/security").asString(); // /account/apps has no form without apps
        asPerson(other).contentType(ContentType.URLENC).formParam("csrf", csrf(otherPage)).formParam("client_id", OAuthFlow.DEMO_CLIENT)
                .post("/account/apps/revoke").then().statusCode(404);
        OAuthFlow.introspect((String) tokens.get("access_token")).then().body("active", equalTo(true));
        given().redirects().follow(false).get("/account/apps").then().statusCode(303);
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertTrue(matcher.find(), "the page carries a CSRF token");
        return matcher.group(1);
    }
}
