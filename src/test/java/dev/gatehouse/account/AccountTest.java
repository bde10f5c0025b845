package dev.gatehouse.account;

import static dev.gatehouse.testing.Http.PASSWORD;
import static dev.gatehouse.testing.Http.SESSION_COOKIE;
import static dev.gatehouse.testing.Http.asPerson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sign-up, sign-in and sign-out, by JSON and by form, and what a session cookie looks like. */
@QuarkusTest
class AccountTest {

    @Test
    void signUpStartsASessionInAnHttpOnlySameSiteCookie() {
        String email = Http.newEmail();
        Response response = given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", PASSWORD))
                .post("/signup");
        response.then().statusCode(201).body("email", equalTo(email)).body("id", notNullValue());
        String setCookie = response.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith(SESSION_COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=lax"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain-HTTP localhost is the one place without Secure: " + setCookie);

        // Behind any other host name the cookie is Secure.
        String elsewhere = given().header("Host", "gatehouse.example").contentType(ContentType.JSON)
                .body(Map.of("email", Http.newEmail(), "password", PASSWORD)).post("/signup").getHeader("Set-Cookie");
        assertTrue(elsewhere.contains("Secure"), elsewhere);
    }

    @Test
    void signUpRefusesBadInputAndDuplicates() {
        String email = Http.newEmail();
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-email", "password", PASSWORD)).post("/signup")
                .then().statusCode(400).body("message", containsString("email"));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "short")).post("/signup")
                .then().statusCode(400).body("message", containsString("at least 10"));
        // The refused sign-up stored nothing: the same email is still free.
        Http.signUp(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/signup")
                .then().statusCode(409);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        String email = Http.newEmail();
        Http.signUp(email);
        Response wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "not the password")).post("/login");
        Response unknownEmail = given().contentType(ContentType.JSON)
                .body(Map.of("email", Http.newEmail(), "password", "not the password")).post("/login");
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(wrongPassword.statusCode(), unknownEmail.statusCode());
        assertEquals(wrongPassword.asString(), unknownEmail.asString());
        assertEquals(wrongPassword.getHeader("Set-Cookie"), unknownEmail.getHeader("Set-Cookie"));
    }

    @jakarta.inject.Inject
    dev.gatehouse.testing.MovableClock clock;

    /**
     * Issue 10 finding 1: 12 concurrent wrong passwords for one email, against the default limit of 5. Each
     * attempt is counted before its password is checked, so exactly five are judged (401) and seven refused.
     */
    @Test
    void concurrentGuessesCannotRaceTheThrottle() throws Exception {
        clock.toStartOfNext(java.time.Duration.ofMinutes(15));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            String email = Http.newEmail();
            Http.signUp(email);
            java.util.List<java.util.concurrent.Callable<Integer>> guesses = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String guess = "guess " + i;
                guesses.add(() -> given().contentType(ContentType.JSON).body(Map.of("email", email, "password", guess))
                        .post("/login").statusCode());
            }
            java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (var answer : pool.invokeAll(guesses)) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
            assertEquals(java.util.Map.of(401, 5, 429, 7), statuses);
        } finally {
            pool.shutdownNow();
            clock.reset();
        }
    }

    @Test
    void repeatedFailuresAreSlowedDown() {
        clock.toStartOfNext(java.time.Duration.ofMinutes(15));
        try {
            slowedDown();
        } finally {
            clock.reset();
        }
    }

    private void slowedDown() {
        String email = Http.newEmail();
        Http.signUp(email);
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "guess " + i)).post("/login")
                    .then().statusCode(401);
        }
        // Now even the right password waits for the window to close.
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/login")
                .then().statusCode(429)
                .header("Retry-After", not(emptyOrNullString()))
                .body("status", equalTo(429))
                .body("retryAfter", notNullValue());
    }

    @Test
    void jsonSignInGivesASessionThatManagesKeys() {
        String email = Http.newEmail();
        Http.signUp(email);
        String session = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/login")
                .then().statusCode(200).body("email", equalTo(email)).extract().cookie(SESSION_COOKIE);
        asPerson(session).get("/settings/api-keys").then().statusCode(200);
    }

    @Test
    void formSignInRedirectsWith303OnlyToLocalPaths() {
        String email = Http.newEmail();
        Http.signUp(email);
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", email).formParam("password", PASSWORD).formParam("return_to", "https://evil.example/")
                .post("/login")
                .then().statusCode(303).header("Location", containsString("/account/api-tokens")).cookie(SESSION_COOKIE);
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", email).formParam("password", PASSWORD).formParam("return_to", "/x?a=not a uri")
                .post("/login")
                .then().statusCode(303).header("Location", containsString("/account/api-tokens"));
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", email).formParam("password", "wrong password").post("/login")
                .then().statusCode(401).contentType(containsString("text/html")).body(containsString("Invalid email or password"));
    }

    @Test
    void formPostsFromAnotherSiteAreRefused() {
        String email = Http.newEmail();
        Http.signUp(email);
        given().redirects().follow(false).contentType(ContentType.URLENC).header("Origin", "https://evil.example")
                .formParam("email", email).formParam("password", PASSWORD).post("/login")
                .then().statusCode(403);
        given().redirects().follow(false).contentType(ContentType.URLENC).header("Sec-Fetch-Site", "cross-site")
                .formParam("email", email).formParam("password", PASSWORD).post("/login")
                .then().statusCode(403);
    }

    @Test
    void signOutRevokesTheSession() {
        String session = Http.signUpSomeone();
        asPerson(session).get("/settings/api-keys").then().statusCode(200);
        asPerson(session).redirects().follow(false).post("/logout").then().statusCode(303)
                .header("Set-Cookie", containsString("Max-Age=0"));
        asPerson(session).get("/settings/api-keys").then().statusCode(401);
    }
}
