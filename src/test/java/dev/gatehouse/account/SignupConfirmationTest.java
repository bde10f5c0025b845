package dev.gatehouse.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 finding 9: sign-up said whether an email had an account (409 "already exists"). Where mail can
 * be sent, sign-up now answers alike for every address and finishes through an emailed link; the owner of
 * a taken address is told by mail.
 */
@QuarkusTest
@TestProfile(MailServer.SignUpByEmail.class)
class SignupConfirmationTest {
    private static final Pattern LINK = Pattern.compile("/signup/confirm\\?token=(su_[A-Za-z0-9_-]+)");

    private static Response signUp(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD)).post("/signup");
    }

    private static String mailText(String email) throws Exception {
        List<jakarta.mail.internet.MimeMessage> messages = MailServer.messagesTo(email);
        assertEquals(1, messages.size(), "one message to " + email);
        return String.valueOf(messages.getFirst().getContent());
    }

    @Test
    void aTakenAddressAndAFreeOneGetTheSameAnswer() throws Exception {
        String taken = Http.newEmail();
        // The owner made the account the mailed way, too.
        signUp(taken).then().statusCode(202);
        Matcher first = LINK.matcher(mailText(taken));
        assertTrue(first.find());
        confirm(first.group(1), Http.PASSWORD).then().statusCode(303);

        Response again = signUp(taken);
        Response fresh = signUp(Http.newEmail());
        assertEquals(202, again.statusCode());
        assertEquals(again.statusCode(), fresh.statusCode());
        assertEquals(again.asString(), fresh.asString());
        assertNull(again.getHeader("Set-Cookie"), "nobody is signed in by asking");
        assertNull(fresh.getHeader("Set-Cookie"));
        List<jakarta.mail.internet.MimeMessage> toOwner = MailServer.messagesTo(taken);
        long deadline = System.currentTimeMillis() + 5_000;
        while (toOwner.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            toOwner = MailServer.messagesTo(taken);
        }
        assertEquals(2, toOwner.size());
        assertTrue(String.valueOf(toOwner.getLast().getContent()).contains("You already have one"), "the owner is told");
    }

    @Test
    void theEmailedLinkMakesTheAccountOnceAndSignsThePersonIn() throws Exception {
        String email = Http.newEmail();
        signUp(email).then().statusCode(202);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD)).post("/login")
                .then().statusCode(401);
        Matcher link = LINK.matcher(mailText(email));
        assertTrue(link.find());
        // Opening the link shows a form; only the POST, with the password chosen at sign-up, uses it.
        given().get("/signup/confirm?token=" + link.group(1)).then().statusCode(200).body(containsString("Create my account"));
        Response confirmed = confirm(link.group(1), Http.PASSWORD);
        assertEquals(303, confirmed.statusCode());
        assertTrue(confirmed.getHeader("Set-Cookie").contains("gatehouse_session="));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD)).post("/login")
                .then().statusCode(200);
        confirm(link.group(1), Http.PASSWORD).then().statusCode(410);
        confirm("su_forged", Http.PASSWORD).then().statusCode(410);
    }

    /**
     * Someone signs up with another person's address and a password of their own choosing. The owner, opening
     * the link, cannot finish it: the link asks for that password, which only the stranger knows.
     */
    @Test
    void aStrangerCannotChooseTheOwnersPassword() throws Exception {
        String victim = Http.newEmail();
        given().contentType(ContentType.JSON).body(Map.of("email", victim, "password", "the stranger's password")).post("/signup")
                .then().statusCode(202);
        Matcher link = LINK.matcher(mailText(victim));
        assertTrue(link.find());
        Response owner = confirm(link.group(1), Http.PASSWORD);
        assertEquals(400, owner.statusCode());
        assertNull(owner.getHeader("Set-Cookie"));
        given().contentType(ContentType.JSON).body(Map.of("email", victim, "password", "the stranger's password")).post("/login")
                .then().statusCode(401);
    }

    private static Response confirm(String token, String password) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("token", token)
                .formParam("password", password).post("/signup/confirm");
    }

    @Test
    void badInputIsStill400() {
        given().contentType(ContentType.JSON).body(Map.of("email", "not an email", "password", Http.PASSWORD)).post("/signup")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("email", Http.newEmail(), "password", "short")).post("/signup")
                .then().statusCode(400);
    }
}
