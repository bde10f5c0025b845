package dev.gatehouse.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** specs.md §1.3/§1.8: a claim past its time is 410 claim_expired (and the key dies); a stale code is 410 otp_expired. */
@QuarkusTest
@TestProfile(AgentClaimExpiryTest.ShortLifetimes.class)
class AgentClaimExpiryTest {

    /**
     * Claim tokens live 60 s and links/codes 3 s here. The clock is moved past them, but the steps before the
     * move take real time too: a claim token of 6 s expired first on a loaded machine (a code test saw
     * claim_expired), so the claim keeps a wide margin over the code.
     */
    public static class ShortLifetimes extends MailServer.Profile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("gatehouse.agent.claim-token-lifetime", "60s");
            overrides.put("gatehouse.agent.claim-link-lifetime", "3s");
            return overrides;
        }
    }

    @jakarta.inject.Inject
    dev.gatehouse.testing.MovableClock clock;

    @org.junit.jupiter.api.AfterEach
    void putTimeBack() {
        clock.reset();
    }

    private static JsonPath registerAnonymously() {
        return given().contentType("application/json").body(Map.of("type", "anonymous")).post("/agent/auth")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aClaimPastItsTimeIsGoneAndSoIsThePreClaimKey() {
        JsonPath registration = registerAnonymously();
        Http.me(registration.getString("credential")).then().statusCode(200);
        clock.advance(java.time.Duration.ofMillis(60_300));
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "email", Http.newEmail()))
                .post("/agent/auth/claim").then().statusCode(410).body("error", equalTo("claim_expired"));
        Http.me(registration.getString("credential")).then().statusCode(401);
    }

    @Test
    void aCodePastItsTimeIsOtpExpired() throws Exception {
        JsonPath registration = registerAnonymously();
        String email = Http.newEmail();
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "email", email))
                .post("/agent/auth/claim").then().statusCode(200);
        Matcher link = Pattern.compile("token=(cv_[A-Za-z0-9_-]+)")
                .matcher(String.valueOf(MailServer.messagesTo(email).getFirst().getContent()));
        assertTrue(link.find());
        String page = given().contentType("application/x-www-form-urlencoded").formParam("token", link.group(1))
                .formParam("password", Http.PASSWORD).post("/agent/auth/claim/view").then().statusCode(200).extract().asString();
        Matcher code = Pattern.compile("<code id=\"claim-code\">(\\d{6})</code>").matcher(page);
        assertTrue(code.find());
        clock.advance(java.time.Duration.ofMillis(3_300));
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "otp", code.group(1)))
                .post("/agent/auth/claim/complete").then().statusCode(410).body("error", equalTo("otp_expired"));
    }

    /** Issue 10 finding 6: completing an email registration past its time answered 500 (it has no key to revoke). */
    @Test
    void anEmailRegistrationPastItsTimeIsClaimExpired() {
        String claimToken = given().contentType("application/json").body(Map.of("type", "identity_assertion",
                        "assertion_type", "verified_email", "assertion", Http.newEmail(), "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200).extract().path("claim_token");
        clock.advance(java.time.Duration.ofMillis(60_300));
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "otp", "123456"))
                .post("/agent/auth/claim/complete").then().statusCode(410).body("error", equalTo("claim_expired"));
    }
}
