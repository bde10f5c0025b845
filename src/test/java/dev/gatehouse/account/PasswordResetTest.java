package dev.gatehouse.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import dev.gatehouse.testing.MovableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 12 §2: a password reset by emailed link, through the pages a browser uses. */
@QuarkusTest
@TestProfile(MailServer.Profile.class)
class PasswordResetTest {
    private static final Pattern LINK = Pattern.compile("/password-reset/confirm\\?token=(pr_[A-Za-z0-9_-]+)");
    private static final String NEW_PASSWORD = "a brand new passphrase";

    @Inject
    MovableClock clock;

    @Inject
    AgroalDataSource database;

    @Test
    void theMailedLinkSetsANewPasswordOnceAndEndsEverySession() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        // A passkey the account has (registered as the security page would): the reset must take it away too.
        Database.update(database, "insert into passkey (credential_id, account_id, public_key, public_key_algorithm, label, created_at)"
                + " select ?, id, '\\x00'::bytea, -7, 'old device', now() from account where email = ?", "cred-" + email, email);
        askForReset(email).then().statusCode(200).body(containsString("Check your inbox"));
        String token = lastLink(email, 1);

        // Stored as a hash only, in the one token store, as a reset link.
        assertEquals(1, Database.count(database, "select count(*) from token where kind = 'password_reset' and secret_hash = decode(?, 'hex')",
                Database.hashHex(token)));
        assertEquals(0, Database.count(database, "select count(*) from token where label like ? or preview like ?",
                "%" + token + "%", "%" + token + "%"));

        // Opening the link changes nothing: a form, whose POST uses it.
        given().get("/password-reset/confirm?token=" + token).then().statusCode(200).body(containsString("Choose a new password"));
        given().get("/password-reset/confirm?token=" + token).then().statusCode(200);

        String signedIn = choose(token, NEW_PASSWORD).then().statusCode(303)
                .header("Location", containsString("/account/api-tokens")).extract().cookie("gatehouse_session");
        assertTrue(signedIn != null && !signedIn.isBlank(), "the reset signs the person in");
        Http.asPerson(signedIn).redirects().follow(false).get("/account/api-tokens").then().statusCode(200);
        Http.asPerson(session).redirects().follow(false).get("/account/api-tokens").then().statusCode(303);

        signIn(email, Http.PASSWORD).then().statusCode(401);
        signIn(email, NEW_PASSWORD).then().statusCode(200);
        assertEquals(0, Database.count(database, "select count(*) from passkey where credential_id = ?", "cred-" + email),
                "a reset removes every passkey: the account may have been someone else's");

        // Single use.
        choose(token, "yet another passphrase").then().statusCode(410).body(containsString("cannot be used"));
        given().get("/password-reset/confirm?token=" + token).then().statusCode(410);
        signIn(email, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void anAddressWithoutAnAccountGetsTheSameAnswerAndNoMail() {
        String nobody = Http.newEmail();
        askForReset(nobody).then().statusCode(200).body(containsString("Check your inbox")).body(containsString(nobody));
        assertEquals(List.of(), MailServer.messagesTo(nobody));
    }

    @Test
    void onlyTheNewestLinkWorks() {
        String email = Http.newEmail();
        Http.signUp(email);
        askForReset(email).then().statusCode(200);
        String first = lastLink(email, 1);
        askForReset(email).then().statusCode(200);
        String second = lastLink(email, 2);
        choose(first, NEW_PASSWORD).then().statusCode(410);
        choose(second, NEW_PASSWORD).then().statusCode(303);
    }

    @Test
    void theLinkExpires() {
        String email = Http.newEmail();
        Http.signUp(email);
        askForReset(email).then().statusCode(200);
        String token = lastLink(email, 1);
        try {
            clock.advance(Duration.ofMinutes(31));
            choose(token, NEW_PASSWORD).then().statusCode(410);
        } finally {
            clock.reset();
        }
        signIn(email, Http.PASSWORD).then().statusCode(200);
    }

    /** Bad input is shown on the page and changes nothing: the link still works after. */
    @Test
    void aPasswordThePolicyRefusesLeavesTheLinkWorking() {
        String email = Http.newEmail();
        Http.signUp(email);
        askForReset(email).then().statusCode(200);
        String token = lastLink(email, 1);
        choose(token, "short").then().statusCode(400).body(containsString("at least 10 characters"));
        signIn(email, Http.PASSWORD).then().statusCode(200);
        choose(token, NEW_PASSWORD).then().statusCode(303);
        for (String bad : new String[] {"", "pr_", "pr_unknown", "su_" + token.substring(3), "pr_" + "x".repeat(300)}) {
            choose(bad, NEW_PASSWORD).then().statusCode(410);
        }
        choose("pr_" + "x".repeat(5000), NEW_PASSWORD).then().statusCode(413); // past the form field limit: refused unread
        askForReset("not an address").then().statusCode(400).body(containsString("class=\"error\""));
    }

    /** An account an agent made has a password nobody knows: the reset gives it one. */
    @Test
    void anAccountWithoutAKnownPasswordGetsOne() {
        String email = Http.newEmail();
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "nobody knows this one " + System.nanoTime()))
                .post("/signup").then().statusCode(201);
        askForReset(email).then().statusCode(200);
        choose(lastLink(email, 1), NEW_PASSWORD).then().statusCode(303);
        signIn(email, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void formsFromAnotherSiteAreRefused() {
        String email = Http.newEmail();
        Http.signUp(email);
        given().header("Origin", "https://evil.example").contentType(ContentType.URLENC).formParam("email", email)
                .post("/password-reset").then().statusCode(403);
        assertEquals(List.of(), MailServer.messagesTo(email).stream().filter(PasswordResetTest::isReset).toList());
    }

    @Test
    void theSignInPageLinksHere() {
        given().get("/login").then().statusCode(200).body(containsString("href=\"/password-reset\""));
        given().get("/password-reset").then().statusCode(200).body(containsString("name=\"email\"")).body(not(containsString("sends no mail")));
    }

    private static io.restassured.response.Response askForReset(String email) {
        return given().contentType(ContentType.URLENC).formParam("email", email).post("/password-reset");
    }

    private static io.restassured.response.Response choose(String token, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParam("token", token).formParam("password", password)
                .post("/password-reset/confirm");
    }

    private static io.restassured.response.Response signIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login");
    }

    /** The link in the {@code count}-th reset mail to {@code email}, waiting for it. */
    private static String lastLink(String email, int count) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<MimeMessage> resets;
        do {
            resets = MailServer.messagesTo(email).stream().filter(PasswordResetTest::isReset).toList();
        } while (resets.size() < count && System.currentTimeMillis() < deadline);
        assertEquals(count, resets.size(), "reset mails to " + email);
        try {
            Matcher link = LINK.matcher(String.valueOf(resets.get(count - 1).getContent()));
            assertTrue(link.find(), "the mail holds the link");
            assertFalse(link.group(1).isBlank());
            return link.group(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isReset(MimeMessage message) {
        try {
            return "Reset your password".equals(message.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            return false;
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
