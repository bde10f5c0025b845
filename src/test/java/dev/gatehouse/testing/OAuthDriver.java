package dev.gatehouse.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Drives the authorization code flow through HTTP as a browser and a client would. */
public final class OAuthDriver {
    public static final String ISSUER = "http://localhost:8080";
    public static final String DEMO_CLIENT = "demo-app";
    public static final String DEMO_SECRET = "demo-app-secret-change-me";
    public static final String DASHBOARD = "gatehouse-dashboard";
    public static final String REDIRECT = "http://127.0.0.1/callback";
    private static final SecureRandom RANDOM = new SecureRandom();

    private OAuthDriver() {
    }

    public static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The usual authorization request parameters, to adjust per test. */
    public static Map<String, String> request(String clientId, String scope, String verifier) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", REDIRECT);
        params.put("scope", scope);
        params.put("state", "state-" + RANDOM.nextInt(1_000_000));
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        return params;
    }

    /** GET /oauth2/authorize, not following redirects; {@code session} may be null. */
    public static Response authorize(String session, Map<String, String> params) {
        RequestSpecification request = given().redirects().follow(false);
        if (session != null) {
            request.cookie(Http.SESSION_COOKIE, session);
        }
        return request.queryParams(params).get("/oauth2/authorize");
    }

    /** Submits the consent page's form with {@code decision}; returns the answer (303 to the client). */
    public static Response decide(String session, String consentPage, String decision) {
        return OAuthFlow.decide(session, consentPage, decision, "/oauth2/authorize");
    }

    /** Runs the request through consent if needed and returns the code from the redirect. */
    public static String code(String session, Map<String, String> params) {
        Response answer = authorize(session, params);
        if (answer.statusCode() == 200) {
            answer = decide(session, answer.asString(), "allow");
        }
        assertEquals(303, answer.statusCode(), answer.asString());
        Map<String, String> back = query(answer.getHeader("Location"));
        assertEquals(params.get("state"), back.get("state"));
        return back.get("code");
    }

    /** Exchanges a code; {@code secret} null for a public client. */
    public static Response exchange(String clientId, String secret, String code, String verifier) {
        RequestSpecification request = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", REDIRECT).formParam("code_verifier", verifier);
        return authenticated(request, clientId, secret).post("/oauth2/token");
    }

    public static Response refresh(String clientId, String secret, String refreshToken) {
        RequestSpecification request = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken);
        return authenticated(request, clientId, secret).post("/oauth2/token");
    }

    public static RequestSpecification authenticated(RequestSpecification request, String clientId, String secret) {
        return secret == null ? request.formParam("client_id", clientId) : request.auth().preemptive().basic(clientId, secret);
    }

    /** Signs a new person in and returns tokens for {@code clientId} with {@code scope}. */
    public static JsonPath tokensFor(String session, String clientId, String secret, String scope) {
        String verifier = verifier();
        String code = code(session, request(clientId, scope, verifier));
        return exchange(clientId, secret, code, verifier).then().statusCode(200).extract().jsonPath();
    }

    public static Map<String, String> query(String location) {
        return OAuthFlow.queryOf(location);
    }
}
