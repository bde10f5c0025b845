package dev.gatehouse.passkey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Passkeys over HTTP (issue 12 §2), as far as no authenticator is needed: the options each ceremony starts with
 * (W3C WebAuthn Level 3 §5.4, §5.5: this relying party, user verification required, a discoverable credential),
 * and what is refused, storing nothing and signing nobody in: answers no authenticator made, a missing session
 * or CSRF token, a cross-site request, a body that is not JSON, another person's passkey. The whole ceremony,
 * with an authenticator, is the browser suite's (src/test/browser/passkeys.mjs, Chromium's virtual authenticator).
 */
@QuarkusTest
class PasskeyEndpointsTest {
    private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");
    private static final String CHALLENGE_COOKIE = "gatehouse_passkey_challenge";

    @Inject
    AgroalDataSource database;

    @Inject
    dev.gatehouse.testing.MovableClock clock;

    @org.junit.jupiter.api.AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String csrf(String session) {
        Matcher csrf = CSRF.matcher(Http.asPerson(session).get("/account/security").then().statusCode(200).extract().asString());
        assertTrue(csrf.find(), "the security page's passkey form carries the CSRF token");
        return csrf.group(1);
    }

    @Test
    void signInOptionsAskForAnyPasskeyOfThisSiteWithUserVerification() {
        Response options = given().post("/login/passkey/options");
        options.then().statusCode(200).header("Cache-Control", "no-store")
                .body("rpId", equalTo("localhost")).body("userVerification", equalTo("required")).body("challenge", notNullValue());
        assertTrue(Base64.getUrlDecoder().decode(options.path("challenge").toString()).length >= 16, "a challenge of 16 bytes or more");
        assertTrue(options.getCookie(CHALLENGE_COOKIE) != null, "the challenge rides in a cookie");
        assertTrue(options.getDetailedCookie(CHALLENGE_COOKIE).isHttpOnly(), "no script reads it");
        assertTrue(!options.getCookie(CHALLENGE_COOKIE).contains(options.path("challenge").toString()), "sealed, not in clear");
        given().header("Sec-Fetch-Site", "cross-site").post("/login/passkey/options").then().statusCode(403);

        // Review finding: the extension would reuse (and keep alive) the challenge a cookie brings; each request gets a new one.
        Response again = given().cookie(CHALLENGE_COOKIE, options.getCookie(CHALLENGE_COOKIE)).post("/login/passkey/options");
        again.then().statusCode(200);
        assertTrue(!again.path("challenge").toString().equals(options.path("challenge").toString()), "a new challenge every time");
        assertTrue(!again.getCookie(CHALLENGE_COOKIE).equals(options.getCookie(CHALLENGE_COOKIE)), "in a new cookie");
    }

    /** The extension's own routes serve nothing: Gatehouse's endpoints are the only way to a challenge. */
    @Test
    void theExtensionsOwnRoutesAreNotServed() {
        for (String path : new String[] {"/q/webauthn/login-options-challenge", "/q/webauthn/register-options-challenge?username=a",
                "/q/webauthn/webauthn.js", "/q/webauthn/logout", "/.well-known/webauthn"}) {
            given().redirects().follow(false).get(path).then().statusCode(404);
        }
    }

    @Test
    void anAssertionNoAuthenticatorMadeSignsNobodyIn() {
        String challenge = given().post("/login/passkey/options").getCookie(CHALLENGE_COOKIE);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString("no such credential".getBytes());
        Map<String, Object> forged = Map.of("id", id, "rawId", id, "type", "public-key", "response", Map.of(
                "authenticatorData", "AAAA", "clientDataJSON", "AAAA", "signature", "AAAA", "userHandle", "AAAA"));
        Response refused = given().cookie(CHALLENGE_COOKIE, challenge).contentType(ContentType.JSON).body(forged).post("/login/passkey");
        refused.then().statusCode(400).body("message", containsString("could not be verified")).body(not(containsString("Exception")));
        assertNull(refused.getCookie(Http.SESSION_COOKIE), "nobody is signed in");

        given().cookie(CHALLENGE_COOKIE, challenge).contentType(ContentType.JSON).body("not json").post("/login/passkey")
                .then().statusCode(400).body("message", containsString("as JSON"));
        given().contentType(ContentType.JSON).body(forged).post("/login/passkey").then().statusCode(400);
        given().header("Sec-Fetch-Site", "cross-site").contentType(ContentType.JSON).body(forged).post("/login/passkey").then().statusCode(403);
    }

    @Test
    void registeringNeedsTheSessionAndItsCsrfTokenAndARealAuthenticator() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String csrf = csrf(session);
        given().post("/account/passkeys/options").then().statusCode(403);
        Http.asPerson(session).post("/account/passkeys/options").then().statusCode(403);
        Http.asPerson(session).header("X-CSRF-Token", "not the token").post("/account/passkeys/options").then().statusCode(403);

        // Just signed in: no password asked. Five minutes on, the current password first (a borrowed session alone
        // adds no way in).
        Response options = Http.asPerson(session).header("X-CSRF-Token", csrf).post("/account/passkeys/options");
        options.then().statusCode(200).body("rp.id", equalTo("localhost")).body("user.displayName", equalTo(email))
                .body("authenticatorSelection.residentKey", equalTo("required"))
                .body("authenticatorSelection.userVerification", equalTo("required"));

        String id = Base64.getUrlEncoder().withoutPadding().encodeToString("made up".getBytes());
        Map<String, Object> forged = Map.of("id", id, "rawId", id, "type", "public-key",
                "response", Map.of("attestationObject", "AAAA", "clientDataJSON", "AAAA"));
        Http.asPerson(session).cookie(CHALLENGE_COOKIE, options.getCookie(CHALLENGE_COOKIE)).header("X-CSRF-Token", csrf)
                .contentType(ContentType.JSON).body(forged).post("/account/passkeys?name=forged")
                .then().statusCode(400).body("message", containsString("could not be verified"));
        Http.asPerson(session).contentType(ContentType.JSON).body(forged).post("/account/passkeys").then().statusCode(403);

        clock.advance(java.time.Duration.ofMinutes(6));
        Http.asPerson(session).header("X-CSRF-Token", csrf).post("/account/passkeys/options").then().statusCode(400)
                .body("message", containsString("current password"));
        Http.asPerson(session).header("X-CSRF-Token", csrf).contentType(ContentType.JSON).body(Map.of("current_password", "wrong"))
                .post("/account/passkeys/options").then().statusCode(400);
        Http.asPerson(session).header("X-CSRF-Token", csrf).contentType(ContentType.JSON).body(Map.of("current_password", 42))
                .post("/account/passkeys/options").then().statusCode(400);
        Http.asPerson(session).header("X-CSRF-Token", csrf).contentType(ContentType.JSON).body(Map.of("current_password", Http.PASSWORD))
                .post("/account/passkeys/options").then().statusCode(200).body("user.name", equalTo(email));
        assertEquals(0, Database.count(database, "select count(*) from passkey p join account a on a.id = p.account_id where a.email = ?", email));
    }

    @Test
    void onlyTheOwnerRemovesAPasskey() throws Exception {
        String owner = Http.newEmail();
        String ownerSession = Http.signUp(owner);
        String other = Http.signUpSomeone();
        String credential = "cred-" + System.nanoTime();
        Database.update(database, "insert into passkey (credential_id, account_id, public_key, public_key_algorithm, label, created_at)"
                + " select ?, id, '\\x00'::bytea, -7, 'Work laptop', now() from account where email = ?", credential, owner);
        String page = Http.asPerson(ownerSession).get("/account/security").then().statusCode(200)
                .body(containsString("Work laptop")).extract().asString();
        assertTrue(page.contains("/account/security/passkeys/" + credential + "/remove"));

        Http.asPerson(other).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(other))
                .post("/account/security/passkeys/" + credential + "/remove").then().statusCode(404);
        assertEquals(1, Database.count(database, "select count(*) from passkey where credential_id = ?", credential));
        Http.asPerson(ownerSession).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", "forged")
                .post("/account/security/passkeys/" + credential + "/remove").then().statusCode(403);
        Http.asPerson(ownerSession).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(ownerSession))
                .post("/account/security/passkeys/" + credential + "/remove").then().statusCode(303);
        assertEquals(0, Database.count(database, "select count(*) from passkey where credential_id = ?", credential));
        Http.asPerson(ownerSession).get("/account/security").then().body(containsString("A passkey was removed"));
    }
}
