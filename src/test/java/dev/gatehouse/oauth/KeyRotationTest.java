package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthFlow.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthFlow.ISSUER;
import static dev.gatehouse.testing.OAuthFlow.clientCredentialsToken;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Operator-triggered key rotation: the new key is published at once and signs only after publish-ahead
 * (4 s in tests); tokens signed by the old key keep verifying from the JWKS alone, as any outside
 * resource server would verify them (RFC 9068).
 */
@QuarkusTest
class KeyRotationTest {
    private static final String ADMIN_TOKEN = "test-admin-token";
    private static final String SCOPE = "profile:read";

    private static List<String> publishedKids(JWKSet jwks) {
        return jwks.getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static JWKSet fetchJwks() throws ParseException {
        Response response = given().get("/oauth2/jwks");
        assertEquals(200, response.statusCode());
        return JWKSet.parse(response.asString());
    }

    private static String kidOf(String jwt) throws ParseException {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    /** A verifier built only from the JWKS fetched over HTTP: signature, typ at+jwt, iss, aud, exp, RFC 9068 claims. */
    private static JWTClaimsSet verifyIndependently(JWKSet jwks, String jwt) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256),
                new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(ISSUER,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope")));
        return processor.process(jwt, null);
    }

    /** Waits until no key of the ring is still waiting to sign, so the test starts from a settled ring. */
    private static void waitUntilNoKeyIsPending() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            List<Map<String, Object>> ring = given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/admin/keys")
                    .then().statusCode(200).extract().jsonPath().getList("");
            boolean pending = ring.stream().anyMatch(key -> Instant.parse(String.valueOf(key.get("activatesAt")))
                    .isAfter(Instant.now().minusMillis(200)));
            if (!pending) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("a key stays pending: " + ring);
            }
            Thread.sleep(250);
        }
    }

    @Test
    void adminEndpointsLookAbsentWithoutTheAdminToken() {
        given().post("/admin/keys/rotate").then().statusCode(404);
        given().header("Authorization", "Bearer wrong-token").post("/admin/keys/rotate").then().statusCode(404);
        given().header("Authorization", "Bearer " + ADMIN_TOKEN + "x").post("/admin/keys/rotate").then().statusCode(404);
        given().auth().preemptive().basic("admin", ADMIN_TOKEN).post("/admin/keys/rotate").then().statusCode(404);
        given().get("/admin/keys").then().statusCode(404);
        given().header("Authorization", "Bearer wrong-token").get("/admin/keys").then().statusCode(404);
        // An API key or an access token is not the operator either.
        String accessToken = clientCredentialsToken(SCOPE);
        given().header("Authorization", "Bearer " + accessToken).post("/admin/keys/rotate").then().statusCode(404);
    }

    @Test
    void rotationPublishesTheNewKeyAheadAndOldTokensKeepVerifying() throws Exception {
        waitUntilNoKeyIsPending();
        String before = clientCredentialsToken(SCOPE);
        String oldKid = kidOf(before);
        assertTrue(publishedKids(fetchJwks()).contains(oldKid), "the signing key is published");

        Response rotation = given().header("Authorization", "Bearer " + ADMIN_TOKEN).post("/admin/keys/rotate");
        Instant rotatedAt = Instant.now();
        assertEquals(200, rotation.statusCode(), rotation.asString());
        String newKid = rotation.jsonPath().getString("kid");
        assertNotNull(newKid, "rotation names the new key: " + rotation.asString());
        assertNotEquals(oldKid, newKid);

        // Within publish-ahead: the old key still signs...
        String during = clientCredentialsToken(SCOPE);
        assertTrue(Duration.between(rotatedAt, Instant.now()).toMillis() < 3500,
                "test too slow to observe the publish-ahead window");
        assertEquals(oldKid, kidOf(during), "a new key must not sign before publish-ahead has passed");
        // ...and the new one is already published next to it.
        JWKSet duringJwks = fetchJwks();
        List<String> kids = publishedKids(duringJwks);
        assertTrue(kids.contains(oldKid), "old key published: " + kids);
        assertTrue(kids.contains(newKid), "new key published ahead: " + kids);
        verifyIndependently(duringJwks, during);

        // After publish-ahead (4 s in tests): the new key signs.
        long wait = Duration.ofMillis(4500).minus(Duration.between(rotatedAt, Instant.now())).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        String after = clientCredentialsToken(SCOPE);
        assertEquals(newKid, kidOf(after), "the new key signs once publish-ahead has passed");

        // Old-key tokens still verify with nothing but the JWKS as served now.
        JWKSet afterJwks = fetchJwks();
        assertTrue(publishedKids(afterJwks).contains(oldKid), "retired key stays published while its tokens live");
        verifyIndependently(afterJwks, before);
        verifyIndependently(afterJwks, during);
        verifyIndependently(afterJwks, after);

        // And they still work at the API.
        assertEquals(200, given().header("Authorization", "Bearer " + before).get("/v1/me").statusCode());
    }

    @Test
    void rfc9068_2_2_accessTokenCarriesTheRequiredClaims() throws Exception {
        String jwt = clientCredentialsToken(SCOPE);
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertEquals(new JOSEObjectType("at+jwt"), parsed.getHeader().getType(), "RFC 9068 §2.1 typ");
        assertNotNull(parsed.getHeader().getKeyID(), "kid in the header");

        JWTClaimsSet claims = verifyIndependently(fetchJwks(), jwt);
        assertEquals(ISSUER, claims.getIssuer());
        assertEquals(DEMO_CLIENT, claims.getSubject(), "client_credentials: the subject is the client (RFC 9068 §2.2)");
        assertFalse(claims.getAudience().isEmpty());
        assertTrue(claims.getAudience().contains(ISSUER), "aud is the resource: " + claims.getAudience());
        assertNotNull(claims.getExpirationTime());
        assertNotNull(claims.getIssueTime());
        assertTrue(claims.getExpirationTime().after(claims.getIssueTime()));
        assertNotNull(claims.getJWTID());
        assertEquals(DEMO_CLIENT, claims.getStringClaim("client_id"));
        assertEquals(SCOPE, claims.getStringClaim("scope"));
        assertNotEquals(claims.getJWTID(), verifyIndependently(fetchJwks(), clientCredentialsToken(SCOPE)).getJWTID(),
                "jti is unique per token");
    }

    @Test
    void theIndependentVerifierRejectsATamperedToken() throws Exception {
        String jwt = clientCredentialsToken(SCOPE);
        String[] parts = jwt.split("\\.");
        char last = parts[2].charAt(10);
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        JWKSet jwks = fetchJwks();
        verifyIndependently(jwks, jwt);
        assertThrows(BadJOSEException.class, () -> verifyIndependently(jwks, tampered), "a bad signature fails");
        assertThrows(BadJOSEException.class, () -> verifyIndependently(new JWKSet(), jwt), "no key, no verification");
    }
}
