package dev.gatehouse.badinput;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Guessing is limited per account and per address (docs/limits.md, issue 9 §6): passwords at sign-in,
 * one-time codes at {@code /agent/auth/claim/complete}, and the mails a claim sends. Addresses come from
 * X-Forwarded-For, which the loopback proxy is trusted to set.
 */
@QuarkusTest
@TestProfile(BruteForceLimitsTest.SmallLimits.class)
class BruteForceLimitsTest implements dev.gatehouse.testing.FreshWindow {
    /** Attempt limits count in windows aligned to the epoch. */
    @Override
    public java.time.Duration window() {
        return java.time.Duration.ofHours(1);
    }

    private static final Pattern CODE = Pattern.compile("code: (\\d{6})");
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    public static class SmallLimits extends MailServer.Profile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("gatehouse.proxy.trusted-proxies", "127.0.0.1/32,::1/128");
            config.put("gatehouse.login.max-failures", "3");
            config.put("gatehouse.login.max-failures-per-address", "6");
            config.put("gatehouse.login.max-failures-per-account", "5");
            config.put("gatehouse.agent.otp-max-failures", "3");
            config.put("gatehouse.agent.claim-limits.mails-per-email", "2");
            config.put("gatehouse.agent.claim-limits.mails-per-address", "4");
            config.put("gatehouse.agent.claim-limits.mails-per-registration", "3");
            config.put("gatehouse.oauth.registration.per-address", "3");
            config.put("gatehouse.signup.per-address", "3");
            config.put("gatehouse.agent.claim-limits.wrong-codes-per-email", "4");
            config.put("gatehouse.agent.claim-limits.wrong-codes-per-address", "6");
            return config;
        }
    }

    @Inject
    AgroalDataSource database;

    /** A new address, as the trusted proxy reports it. */
    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    /** Signs {@code email} up from an address of its own, so sign-ups here never meet their own limit. */
    private static void signUp(String email) {
        given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", Http.PASSWORD)).post("/signup").then().statusCode(201);
    }

    private static Response signIn(String address, String email, String password) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/login");
    }

    @Test
    void signInGuessesFromManyAddressesAtOneAccountAreLimitedPerAccount() {
        String email = Http.newEmail();
        signUp(email);
        // Five addresses, one wrong guess each: no address reaches its own limits.
        for (int i = 0; i < 5; i++) {
            signIn(newAddress(), email, "guess " + i).then().statusCode(401);
        }
        // The account has had its five: a sixth address is refused, even with the right password.
        signIn(newAddress(), email, Http.PASSWORD).then().statusCode(429).header("Retry-After", not(emptyOrNullString()));
        // Another account, from a fresh address, is untouched.
        String other = Http.newEmail();
        signUp(other);
        signIn(newAddress(), other, Http.PASSWORD).then().statusCode(200);
    }

    @Test
    void signInGuessesFromOneAddressAtManyAccountsAreLimitedPerAddress() {
        String address = newAddress();
        for (int i = 0; i < 6; i++) {
            signIn(address, Http.newEmail(), "guess").then().statusCode(401);
        }
        String email = Http.newEmail();
        signUp(email);
        signIn(address, email, Http.PASSWORD).then().statusCode(429).header("Retry-After", not(emptyOrNullString()));
        signIn(newAddress(), email, Http.PASSWORD).then().statusCode(200);
    }

    /** An agent registers by email from {@code address}; answers the claim token and the mailed code. */
    private static String[] registerByEmail(String address, String email) throws Exception {
        String claimToken = registration(address, email).then().statusCode(200).extract().path("claim_token");
        List<jakarta.mail.internet.MimeMessage> messages = MailServer.messagesTo(email);
        Matcher code = CODE.matcher(String.valueOf(messages.getLast().getContent()));
        assertTrue(code.find(), "the last message carries the code");
        return new String[] {claimToken, code.group(1)};
    }

    private static Response registration(String address, String email) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("type", "identity_assertion", "assertion_type", "verified_email", "assertion", email,
                        "requested_credential_type", "api_key"))
                .post("/agent/auth");
    }

    private static Response complete(String address, String claimToken, String otp) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("claim_token", claimToken, "otp", otp)).post("/agent/auth/claim/complete");
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @Test
    void wrongCodesAcrossRegistrationsForOnePersonAreLimitedPerAccount() throws Exception {
        String email = Http.newEmail();
        String[] first = registerByEmail(newAddress(), email);
        String[] second = registerByEmail(newAddress(), email);
        // Three wrong codes burn the first registration's code (otp-max-failures), from one address ...
        String a = newAddress();
        for (int i = 0; i < 3; i++) {
            complete(a, first[0], wrong(first[1])).then().statusCode(401).body("error", equalTo("otp_invalid"));
        }
        // ... and a fourth, at the second registration, from another: the person's four are spent.
        complete(newAddress(), second[0], wrong(second[1])).then().statusCode(401);
        complete(newAddress(), second[0], second[1]).then().statusCode(429)
                .body("error", equalTo("rate_limited")).header("Retry-After", not(emptyOrNullString()));
        assertEquals(0, claimedFor(email), "nothing was claimed for the person");
    }

    @Test
    void wrongCodesFromOneAddressAreLimitedPerAddress() throws Exception {
        String guesser = newAddress();
        for (int i = 0; i < 3; i++) {
            String[] registration = registerByEmail(newAddress(), Http.newEmail());
            complete(guesser, registration[0], wrong(registration[1])).then().statusCode(401);
            complete(guesser, registration[0], wrong(registration[1])).then().statusCode(401);
        }
        String email = Http.newEmail();
        String[] registration = registerByEmail(newAddress(), email);
        complete(guesser, registration[0], registration[1]).then().statusCode(429).body("error", equalTo("rate_limited"));
        assertEquals(0, claimedFor(email));
        // The same code from another address is judged, and right.
        complete(newAddress(), registration[0], registration[1]).then().statusCode(200).body("status", equalTo("claimed"));
        assertEquals(1, claimedFor(email));
    }

    @Test
    void claimMailsAreLimitedPerPersonAndNothingIsStoredOrSentPastTheLimit() throws Exception {
        String email = Http.newEmail();
        registerByEmail(newAddress(), email);
        // An anonymous agent asks for a claim link to the same person: the second mail.
        String claimToken = given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("type", "anonymous")).post("/agent/auth").then().statusCode(200).extract().path("claim_token");
        given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("claim_token", claimToken, "email", email)).post("/agent/auth/claim").then().statusCode(200);
        assertEquals(2, count("SELECT count(*) FROM mail_outbox WHERE recipient = ?", email), "two mails queued");

        registration(newAddress(), email).then().statusCode(429).body("error", equalTo("rate_limited"))
                .header("Retry-After", not(emptyOrNullString()));
        String another = given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("type", "anonymous")).post("/agent/auth").then().statusCode(200).extract().path("claim_token");
        given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("claim_token", another, "email", email)).post("/agent/auth/claim").then().statusCode(429);
        assertEquals(2, count("SELECT count(*) FROM agent_registration WHERE email = ?", email), "the refused ones stored nothing");
        assertEquals(2, count("SELECT count(*) FROM mail_outbox WHERE recipient = ?", email), "and queued no mail");
    }

    /**
     * Issue 10 finding 3: one claim token, alternating between two recipients, sent a mail on every call.
     * Now a registration mails at most mails-per-registration claim links, whatever the addresses.
     */
    @Test
    void oneRegistrationMailsOnlyAFewClaimLinks() throws Exception {
        String address = newAddress();
        String claimToken = given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("type", "anonymous")).post("/agent/auth").then().statusCode(200).extract().path("claim_token");
        List<String> recipients = List.of(Http.newEmail(), Http.newEmail());
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                    .body(Map.of("claim_token", claimToken, "email", recipients.get(i % 2))).post("/agent/auth/claim")
                    .then().statusCode(200);
        }
        given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("claim_token", claimToken, "email", recipients.get(1))).post("/agent/auth/claim")
                .then().statusCode(409).body("error", equalTo("claim_mail_limit"));
        assertEquals(3, count("SELECT count(*) FROM mail_outbox WHERE recipient = ?", recipients.get(0))
                + count("SELECT count(*) FROM mail_outbox WHERE recipient = ?", recipients.get(1)), "three mails, no more");
    }

    @Test
    void claimMailsFromOneAddressAreLimitedPerAddress() throws Exception {
        String address = newAddress();
        for (int i = 0; i < 4; i++) {
            registration(address, Http.newEmail()).then().statusCode(200);
        }
        String email = Http.newEmail();
        registration(address, email).then().statusCode(429).body("error", equalTo("rate_limited"));
        registration(newAddress(), email).then().statusCode(200);
    }

    /** Issue 10 finding 11: anyone may register an OAuth client, so registrations are limited per address. */
    @Test
    void clientRegistrationsAreLimitedPerAddress() {
        String address = newAddress();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                    .body(Map.of("client_name", "App " + i, "redirect_uris", List.of("https://app.example/cb"))).post("/oauth2/register")
                    .then().statusCode(201);
        }
        given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("client_name", "App 4", "redirect_uris", List.of("https://app.example/cb"))).post("/oauth2/register")
                .then().statusCode(429).header("Retry-After", not(emptyOrNullString()));
        given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("client_name", "App 4", "redirect_uris", List.of("https://app.example/cb"))).post("/oauth2/register")
                .then().statusCode(201);
    }

    /** Issue 10 finding 9: sign-up had no limit; now so many per address per window. */
    @Test
    void signUpsAreLimitedPerAddress() {
        String address = newAddress();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                    .body(Map.of("email", Http.newEmail(), "password", Http.PASSWORD)).post("/signup").then().statusCode(201);
        }
        given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("email", Http.newEmail(), "password", Http.PASSWORD)).post("/signup")
                .then().statusCode(429).header("Retry-After", not(emptyOrNullString()));
        given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("email", Http.newEmail(), "password", Http.PASSWORD)).post("/signup").then().statusCode(201);
    }

    private long claimedFor(String email) throws Exception {
        return count("SELECT count(*) FROM agent_registration WHERE email = ? AND claimed_at IS NOT NULL", email);
    }

    private long count(String sql, String email) throws Exception {
        return dev.gatehouse.testing.Database.count(database, sql, email);
    }
}
