package dev.gatehouse.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import dev.gatehouse.testing.OAuthFlow;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An agent goes from a bare 401 to a working key, and a person claims it with the emailed code (specs.md §1.8). */
@QuarkusTest
@TestProfile(MailServer.Profile.class)
class AgentRegistrationTest {
    private static final Pattern LINK = Pattern.compile("https?://\\S+/agent/auth/claim/view\\?token=(cv_[A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("<code id=\"claim-code\">(\\d{6})</code>");

    @Inject
    AgroalDataSource database;

    private static JsonPath registerAnonymously() {
        return given().contentType("application/json").body(Map.of("type", "anonymous", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
    }

    /** The claim link mailed to {@code email}, as the path to call on the test server. */
    private static String mailedLink(String email) throws Exception {
        List<jakarta.mail.internet.MimeMessage> messages = MailServer.messagesTo(email);
        assertEquals(1, messages.size(), "one message to " + email);
        Matcher link = LINK.matcher(String.valueOf(messages.getFirst().getContent()));
        assertTrue(link.find(), "the message carries the link");
        return "/agent/auth/claim/view?token=" + link.group(1);
    }

    /** What the person does: open the link, choose a password when new, read the code off the page. */
    private static String codeFromPage(String link, String password) {
        String token = link.substring(link.indexOf("token=") + 6);
        given().get(link).then().statusCode(200).body(containsString("Show the code for my agent"));
        var form = given().contentType("application/x-www-form-urlencoded").formParam("token", token);
        if (password != null) {
            form.formParam("password", password);
        }
        String page = form.post("/agent/auth/claim/view").then().statusCode(200).extract().asString();
        Matcher code = CODE.matcher(page);
        assertTrue(code.find(), "the page shows the code");
        return code.group(1);
    }

    private static Response complete(String claimToken, String otp) {
        return given().contentType("application/json").body(Map.of("claim_token", claimToken, "otp", otp))
                .post("/agent/auth/claim/complete");
    }

    @Test
    void anAgentDiscoversRegistersUsesItsKeyAndIsClaimedByAPerson() throws Exception {
        // 1. A protected endpoint, no credential: 401 naming the protected-resource metadata.
        String challenge = given().get("/v1/me").then().statusCode(401).extract().header("WWW-Authenticate");
        Matcher metadata = Pattern.compile("resource_metadata=\"([^\"]+)\"").matcher(challenge);
        assertTrue(metadata.find(), challenge);

        // 2. Follow it to the authorization server's metadata and its agent_auth block.
        String issuer = given().get(OAuthFlow.pathOf(metadata.group(1))).then().statusCode(200)
                .extract().jsonPath().getString("authorization_servers[0]");
        JsonPath server = given().get(OAuthFlow.pathOf(issuer + "/.well-known/oauth-authorization-server"))
                .then().statusCode(200).extract().jsonPath();
        assertTrue(server.getList("agent_auth.identity_types_supported").contains("anonymous"));
        String registerUri = server.getString("agent_auth.register_uri");
        String claimUri = server.getString("agent_auth.claim_uri");

        // 3. Register anonymously and call the API with the key, at the pre-claim scopes.
        JsonPath registration = given().contentType("application/json").body(Map.of("identity_type", "anonymous"))
                .post(OAuthFlow.pathOf(registerUri)).then().statusCode(200).extract().jsonPath();
        assertEquals("anonymous", registration.getString("registration_type"));
        String key = registration.getString("credential");
        String claimToken = registration.getString("claim_token");
        assertTrue(claimToken.startsWith("clm_"));
        List<String> before = registration.getList("scopes");
        List<String> after = registration.getList("post_claim_scopes");
        assertTrue(after.containsAll(before) && after.size() > before.size(), before + " within " + after);
        Http.me(key).then().statusCode(200).body("key.kind", equalTo("agent")).body("key.scopes", equalTo(before));

        // 4. Claim: the person gets a link by email, chooses a password, reads the code, the agent sends it.
        String email = Http.newEmail();
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", email))
                .post(OAuthFlow.pathOf(claimUri)).then().statusCode(200).body("status", equalTo("initiated"));
        String code = codeFromPage(mailedLink(email), Http.PASSWORD);
        complete(claimToken, code).then().statusCode(200).body("status", equalTo("claimed"));

        // 5. The same key now has the post-claim scopes and belongs to the person.
        Http.me(key).then().statusCode(200).body("key.scopes", equalTo(after)).body("account.email", equalTo(email));

        // The person signs in with the password chosen on the claim page, sees the key, and can revoke it.
        String session = given().contentType("application/json").body(Map.of("email", email, "password", Http.PASSWORD))
                .post("/login").then().statusCode(200).extract().cookie(Http.SESSION_COOKIE);
        JsonPath keys = Http.asPerson(session).get("/settings/api-keys").then().statusCode(200)
                .body("keys.kind", hasItem("agent")).extract().jsonPath();
        String id = keys.getString("keys.find { it.kind == 'agent' }.id");
        Http.asPerson(session).delete("/settings/api-keys/" + id).then().statusCode(204);
        Http.me(key).then().statusCode(401);
    }

    @Test
    void anExistingAccountClaimsWithoutAPassword() throws Exception {
        String email = Http.newEmail();
        Http.signUp(email);
        JsonPath registration = registerAnonymously();
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "email", email))
                .post("/agent/auth/claim").then().statusCode(200);
        String code = codeFromPage(mailedLink(email), null);
        complete(registration.getString("claim_token"), code).then().statusCode(200);
        Http.me(registration.getString("credential")).then().body("account.email", equalTo(email));
    }

    @Test
    void registrationRefusalsUseAuthMdCodes() {
        given().contentType("application/json").body(Map.of("type", "anonymous", "requested_credential_type", "access_token"))
                .post("/agent/auth").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/json").body(Map.of("type", "identity_assertion",
                        "assertion_type", "urn:ietf:params:oauth:token-type:id-jag", "assertion", "x", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(400).body("error", equalTo("issuer_not_enabled"));
        given().contentType("application/json").body(Map.of("type", "identity_assertion", "assertion_type", "verified_email",
                        "assertion", "not an email", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/json").body(Map.of("type", "something")).post("/agent/auth")
                .then().statusCode(400).body("error", equalTo("invalid_request")).body("message", startsWith("Unknown type"));
        given().contentType("application/json").body("[]").post("/agent/auth").then().statusCode(400);
    }

    /** Email required (specs.md §1.2): no credential until the code mailed to the person comes back. */
    @Test
    void emailRequiredGivesTheCredentialOnlyAfterTheMailedCodeComesBack() throws Exception {
        String email = Http.newEmail();
        JsonPath registration = given().contentType("application/json").body(Map.of("type", "identity_assertion",
                        "assertion_type", "verified_email", "assertion", email, "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200)
                .body("registration_type", equalTo("email-verification"))
                .body("credential", org.hamcrest.Matchers.nullValue())
                .extract().jsonPath();
        String claimToken = registration.getString("claim_token");
        // Not an anonymous registration: nothing to send a link for.
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", email)).post("/agent/auth/claim")
                .then().statusCode(409).body("error", equalTo("claimed_or_in_flight"));

        List<jakarta.mail.internet.MimeMessage> messages = MailServer.messagesTo(email);
        assertEquals(1, messages.size());
        Matcher code = Pattern.compile("code: (\\d{6})").matcher(String.valueOf(messages.getFirst().getContent()));
        assertTrue(code.find(), "the message carries the code");

        String key = complete(claimToken, code.group(1)).then().statusCode(200)
                .body("status", equalTo("claimed")).body("credential_type", equalTo("api_key"))
                .extract().path("credential");
        Http.me(key).then().statusCode(200).body("account.email", equalTo(email))
                .body("key.scopes", equalTo(registration.getList("post_claim_scopes")));
        complete(claimToken, code.group(1)).then().statusCode(409).body("error", equalTo("previously_claimed"));
    }

    @Test
    void claimCeremonyRefusalsInAuthMdOrder() throws Exception {
        given().contentType("application/json").body(Map.of("claim_token", "clm_nope", "email", Http.newEmail()))
                .post("/agent/auth/claim").then().statusCode(401).body("error", equalTo("invalid_claim_token"));

        JsonPath registration = registerAnonymously();
        String claimToken = registration.getString("claim_token");
        complete(claimToken, "123456").then().statusCode(400).body("error", equalTo("otp_not_generated"));

        String email = Http.newEmail();
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", email)).post("/agent/auth/claim")
                .then().statusCode(200);
        // Asking again for the same email while the link is valid sends nothing new.
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", email)).post("/agent/auth/claim")
                .then().statusCode(200);
        String code = codeFromPage(mailedLink(email), Http.PASSWORD);
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 4; i++) {
            complete(claimToken, wrong).then().statusCode(401).body("error", equalTo("otp_invalid"));
        }
        // The fifth wrong code burns the code: even the right one no longer works.
        complete(claimToken, wrong).then().statusCode(401).body("error", equalTo("otp_invalid"));
        complete(claimToken, code).then().statusCode(400).body("error", equalTo("otp_not_generated"));

        String fresh = codeFromPage(mailedLink(email), null);
        complete(claimToken, fresh).then().statusCode(200);
        complete(claimToken, fresh).then().statusCode(409).body("error", equalTo("previously_claimed"));
        given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", email)).post("/agent/auth/claim")
                .then().statusCode(409).body("error", equalTo("claimed_or_in_flight"));
        given().get("/agent/auth/claim/view?token=cv_unknown").then().statusCode(404);
    }

    @Test
    void claimTokensLinksAndCodesAreStoredOnlyAsHashes() throws Exception {
        JsonPath registration = registerAnonymously();
        String email = Http.newEmail();
        given().contentType("application/json").body(Map.of("claim_token", registration.getString("claim_token"), "email", email))
                .post("/agent/auth/claim").then().statusCode(200);
        String link = mailedLink(email);
        String code = codeFromPage(link, Http.PASSWORD);
        StringBuilder rows = new StringBuilder();
        try (Connection connection = database.getConnection();
                ResultSet all = connection.createStatement().executeQuery("select r::text from agent_registration r")) {
            while (all.next()) {
                rows.append(all.getString(1)).append('\n');
            }
        }
        String table = rows.toString();
        assertTrue(table.contains(registration.getString("registration_id")), "the scan reads the rows it should");
        assertFalse(table.contains(registration.getString("claim_token")), "claim token in the clear");
        assertFalse(table.contains(link.substring(link.indexOf("cv_"))), "link token in the clear");
        assertFalse(table.contains(registration.getString("credential")), "key in the clear");
        assertFalse(table.contains("\"" + code + "\""), "code in the clear");
    }
}
