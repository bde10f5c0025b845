package dev.gatehouse.pages;

import static dev.gatehouse.testing.Http.asPerson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 12 §3: /account/agents lists the registrations waiting for the person's claim, then the claimed agent. */
@QuarkusTest
@TestProfile(MailServer.Profile.class)
class AgentsPageTest {
    private static final Pattern LINK = Pattern.compile("/agent/auth/claim/view\\?token=(cv_[A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("<code id=\"claim-code\">([^<]+)</code>");

    @Test
    void aWaitingRegistrationThenTheClaimedAgent() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        asPerson(session).get("/account/agents").then().statusCode(200).body(containsString("No agent is waiting"))
                .body(containsString("You have not claimed an agent"));

        JsonPath registration = given().contentType("application/json").body(Map.of("type", "anonymous", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200).extract().jsonPath();
        String registrationId = registration.getString("registration_id");
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "email", email))
                .post("/agent/auth/claim").then().statusCode(200);
        asPerson(session).get("/account/agents").then().statusCode(200).body(containsString("<code>" + registrationId + "</code>"));
        // Someone else's page does not show it.
        asPerson(Http.signUpSomeone()).get("/account/agents").then().body(not(containsString(registrationId)));

        Matcher link = LINK.matcher(String.valueOf(MailServer.messagesTo(email).getLast().getContent()));
        assertTrue(link.find(), "the claim mail");
        String page = given().contentType("application/x-www-form-urlencoded").formParam("token", link.group(1))
                .post("/agent/auth/claim/view").then().statusCode(200).extract().asString();
        Matcher code = CODE.matcher(page);
        assertTrue(code.find(), "the code");
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "otp", code.group(1)))
                .post("/agent/auth/claim/complete").then().statusCode(200).body("status", equalTo("claimed"));

        String claimed = asPerson(session).get("/account/agents").then().statusCode(200).body(containsString("No agent is waiting"))
                .body(not(containsString("<code>" + registrationId + "</code>"))).extract().asString();
        assertTrue(claimed.contains("href=\"/account/api-tokens/") && claimed.contains("/revoke\""), "the claimed agent, revocable");
        given().redirects().follow(false).get("/account/agents").then().statusCode(303);
    }
}
