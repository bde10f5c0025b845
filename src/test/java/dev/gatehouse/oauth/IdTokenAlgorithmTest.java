package dev.gatehouse.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ID tokens are signed RS256 unless the client registered ES256 (OIDC Dynamic Registration §2), RS256 is
 * listed in id_token_signing_alg_values_supported (OIDC Discovery §3), and the JWKS publishes a key for
 * each algorithm, so every ID token verifies against it.
 */
@QuarkusTest
class IdTokenAlgorithmTest {
    private static final String CALLBACK = "http://127.0.0.1:4000/cb";

    @Test
    void discoveryListsRs256AndTheJwksPublishesAKeyPerAlgorithm() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("id_token_signing_alg_values_supported", hasItems("RS256", "ES256"));
        given().get("/oauth2/jwks").then().statusCode(200).body("keys.kty", hasItems("RSA", "EC"));
    }

    @Test
    void idTokensAreRs256UnlessTheClientRegisteredEs256() throws Exception {
        assertEquals(JWSAlgorithm.RS256, idTokenFor(register(null)).getHeader().getAlgorithm());
        assertEquals(JWSAlgorithm.ES256, idTokenFor(register("ES256")).getHeader().getAlgorithm());
        Map<String, Object> unsupported = new HashMap<>(Map.of("redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none",
                "id_token_signed_response_alg", "none"));
        given().contentType(ContentType.JSON).body(unsupported).post("/oauth2/register").then().statusCode(400);
    }

    private static String register(String algorithm) {
        Map<String, Object> metadata = new HashMap<>(Map.of("redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none",
                "scope", "openid profile:read"));
        if (algorithm != null) {
            metadata.put("id_token_signed_response_alg", algorithm);
        }
        return given().contentType(ContentType.JSON).body(metadata).post("/oauth2/register").then().statusCode(201)
                .body("id_token_signed_response_alg", org.hamcrest.Matchers.equalTo(algorithm == null ? "RS256" : algorithm))
                .extract().path("client_id");
    }

    private static SignedJWT idTokenFor(String clientId) throws Exception {
        String session = Http.signUpSomeone();
        OAuthFlow.Request request = OAuthFlow.Request.of(clientId, CALLBACK, "openid");
        String code = OAuthFlow.code(session, request);
        String idToken = OAuthFlow.exchange(OAuthFlow.asPublicClient(clientId), "/oauth2/token", code, request)
                .then().statusCode(200).extract().path("id_token");
        SignedJWT jwt = SignedJWT.parse(idToken);
        JWK key = JWKSet.parse(given().get("/oauth2/jwks").asString()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(key != null, "the ID token's key is published");
        assertEquals(jwt.getHeader().getAlgorithm().getName(), key.getAlgorithm().getName());
        java.security.Key verificationKey = key instanceof com.nimbusds.jose.jwk.AsymmetricJWK asymmetric ? asymmetric.toPublicKey() : null;
        assertTrue(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), verificationKey)), "verifies");
        return jwt;
    }
}
