package dev.gatehouse.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.testing.AgentProvider;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Agents verified by a trusted provider: ID-JAG at POST /agent/auth (specs.md §1.2, §1.8), the provider's
 * logout token (§1.4), and the standard jwt-bearer grant at the token endpoint (§2.4).
 */
@QuarkusTest
@TestProfile(AgentProvider.Profile.class)
class AgentVerifiedTest {
    static final String ISSUER = OAuthDriver.ISSUER;

    /** A valid ID-JAG for a new person, for /agent/auth (its client_id is the provider's), adjusted by {@code change}. */
    static String idJag(String email, UnaryOperator<JWTClaimsSet.Builder> change) {
        return assertion(email, AgentProvider.issuer(), change);
    }

    /** A valid ID-JAG for the token endpoint's jwt-bearer grant: its client_id is the demo client's. */
    static String bearerIdJag(String email, UnaryOperator<JWTClaimsSet.Builder> change) {
        return assertion(email, OAuthDriver.DEMO_CLIENT, change);
    }

    private static String assertion(String email, String clientId, UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(AgentProvider.issuer()).subject("user-" + email).audience(ISSUER)
                .claim("client_id", clientId).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("email", email).claim("email_verified", true);
        return AgentProvider.sign("oauth-id-jag+jwt", change.apply(claims).build());
    }

    static Response register(String assertion) {
        return given().contentType("application/json").body(Map.of("type", "identity_assertion",
                "assertion_type", "urn:ietf:params:oauth:token-type:id-jag", "assertion", assertion,
                "requested_credential_type", "api_key")).post("/agent/auth");
    }

    static Response jwtBearer(String assertion) {
        return given().auth().preemptive().basic(OAuthDriver.DEMO_CLIENT, OAuthDriver.DEMO_SECRET)
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").formParam("assertion", assertion)
                .post("/oauth2/token");
    }

    @Test
    void metadataAdvertisesTheProviderFlowAndTheIdJagProfile() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("agent_auth.identity_types_supported", hasItem("identity_assertion"))
                .body("agent_auth.identity_assertion.assertion_types_supported", hasItem("urn:ietf:params:oauth:token-type:id-jag"))
                .body("agent_auth.revocation_uri", equalTo(ISSUER + "/agent/auth/revoke"))
                .body("grant_types_supported", hasItem("urn:ietf:params:oauth:grant-type:jwt-bearer"))
                .body("authorization_grant_profiles_supported", hasItem("urn:ietf:params:oauth:grant-profile:id-jag"));
    }

    @Test
    void aVerifiedAgentGetsItsKeyAtOnceForThePerson() {
        String email = Http.newEmail();
        Response answer = register(idJag(email, c -> c));
        answer.then().statusCode(200).body("registration_type", equalTo("agent-provider"))
                .body("credential_type", equalTo("api_key")).body("credential_expires", nullValue());
        Http.me(answer.jsonPath().getString("credential")).then().statusCode(200)
                .body("account.email", equalTo(email)).body("key.kind", equalTo("agent"));
        // The registration id is stable for one (iss, sub, aud).
        assertEquals(answer.jsonPath().getString("registration_id"),
                register(idJag(email, c -> c)).then().statusCode(200).extract().path("registration_id"));
    }

    @Test
    void spec1_8_eachBadAssertionGets400WithItsCode() {
        String email = Http.newEmail();
        Instant now = Instant.now();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("invalid_request", AgentProvider.sign("JWT", new JWTClaimsSet.Builder().issuer(AgentProvider.issuer())
                .audience(ISSUER).jwtID("x").issueTime(new Date()).expirationTime(Date.from(now.plusSeconds(60))).build()));
        cases.put("invalid_issuer", idJag(email, c -> c.issuer("https://untrusted.example")));
        cases.put("invalid_signature", AgentProvider.sign(AgentProvider.otherKey(), "oauth-id-jag+jwt",
                new JWTClaimsSet.Builder().issuer(AgentProvider.issuer()).subject("s").audience(ISSUER).jwtID("y")
                        .issueTime(new Date()).expirationTime(Date.from(now.plusSeconds(60))).build()));
        cases.put("expired", idJag(email, c -> c.issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(1)))));
        cases.put("invalid_audience", idJag(email, c -> c.audience("https://other.example")));
        cases.put("missing_verified_email", idJag(email, c -> c.claim("email_verified", false)));
        // Issue 10 finding 13: an assertion minted for another client; finding 6: a scope that is not a string.
        cases.put("invalid_client_id", idJag(email, c -> c.claim("client_id", OAuthDriver.DEMO_CLIENT)));
        cases.put("invalid_request", idJag(email, c -> c.claim("scope", List.of("profile:read"))));
        cases.forEach((code, assertion) -> register(assertion).then().statusCode(400).body("error", equalTo(code)));

        String once = idJag(email, c -> c);
        register(once).then().statusCode(200);
        register(once).then().statusCode(400).body("error", equalTo("replay_detected"));

        given().contentType("application/json").body(Map.of("type", "identity_assertion",
                        "assertion_type", "urn:ietf:params:oauth:token-type:id-jag", "assertion", idJag(email, c -> c),
                        "requested_credential_type", "access_token"))
                .post("/agent/auth").then().statusCode(400).body("error", equalTo("unsupported_credential_type"));
    }

    @Test
    void spec1_4_aProvidersLogoutTokenRevokesEveryCredentialOfThatPerson() {
        String email = Http.newEmail();
        String key = register(idJag(email, c -> c)).then().statusCode(200).extract().path("credential");
        Http.me(key).then().statusCode(200);
        // Issue 10 finding 13: a logout token without exp could be replayed once its jti was forgotten: refused.
        String timeless = AgentProvider.sign("logout+jwt", new JWTClaimsSet.Builder().issuer(AgentProvider.issuer())
                .subject("user-" + email).audience(ISSUER).jwtID(UUID.randomUUID().toString()).issueTime(new Date())
                .claim("events", Map.of(AgentAuthResource.REVOKED_EVENT, Map.of())).build());
        given().contentType("application/logout+jwt").body(timeless.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/agent/auth/revoke")
                .then().statusCode(400).body("message", equalTo("exp is required"));
        Http.me(key).then().statusCode(200);
        String logout = AgentProvider.sign("logout+jwt", new JWTClaimsSet.Builder().issuer(AgentProvider.issuer())
                .subject("user-" + email).audience(ISSUER).jwtID(UUID.randomUUID().toString()).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(120)))
                .claim("events", Map.of(AgentAuthResource.REVOKED_EVENT, Map.of())).build());

        given().contentType("application/logout+jwt").body(logout.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/agent/auth/revoke")
                .then().statusCode(200).body("revoked", equalTo(1));
        Http.me(key).then().statusCode(401);
        given().contentType("application/logout+jwt").body(logout.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/agent/auth/revoke")
                .then().statusCode(400).body("error", equalTo("replay_detected"));
        String forged = AgentProvider.sign(AgentProvider.otherKey(), "logout+jwt", new JWTClaimsSet.Builder()
                .issuer(AgentProvider.issuer()).subject("user-" + email).audience(ISSUER).jwtID("z").issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(120)))
                .claim("events", Map.of(AgentAuthResource.REVOKED_EVENT, Map.of())).build());
        given().contentType("application/logout+jwt").body(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/agent/auth/revoke")
                .then().statusCode(400).body("error", equalTo("invalid_signature"));
    }

    @Test
    void spec2_4_jwtBearerGivesAnAccessTokenAndNoRefreshToken() {
        String email = Http.newEmail();
        String token = jwtBearer(bearerIdJag(email, c -> c.claim("scope", "profile:read"))).then().statusCode(200)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("access_token", notNullValue()).body("refresh_token", nullValue()).body("scope", equalTo("profile:read"))
                .extract().path("access_token");
        Http.me(token).then().statusCode(200).body("account.email", equalTo(email)).body("key.kind", equalTo("access"));
    }

    @Test
    void spec2_4_jwtBearerRefusalsAreInvalidGrant() {
        String email = Http.newEmail();
        List<String> refused = List.of(
                AgentProvider.sign("JWT", new JWTClaimsSet.Builder().issuer(AgentProvider.issuer()).subject("s").audience(ISSUER)
                        .jwtID("t1").issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(60))).build()),
                bearerIdJag(email, c -> c.audience(List.of(ISSUER, "https://other.example"))),
                bearerIdJag(email, c -> c.claim("client_id", "someone-else")),
                bearerIdJag(email, c -> c.issueTime(Date.from(Instant.now().minusSeconds(600))).expirationTime(Date.from(Instant.now().minusSeconds(1)))),
                bearerIdJag(email, c -> c.issuer("https://untrusted.example")));
        for (String assertion : refused) {
            jwtBearer(assertion).then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
        String once = bearerIdJag(email, c -> c);
        jwtBearer(once).then().statusCode(200);
        jwtBearer(once).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
