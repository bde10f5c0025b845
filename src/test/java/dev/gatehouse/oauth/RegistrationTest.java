package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthFlow.ISSUER;
import static dev.gatehouse.testing.OAuthFlow.pathOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7591 dynamic client registration, and the whole path an MCP client takes from a bare 401 to tokens. */
@QuarkusTest
class RegistrationTest {
    private static final String REDIRECT = "http://127.0.0.1:33418/callback";
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");

    private static Map<String, Object> validRequest() {
        Map<String, Object> body = new HashMap<>();
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("token_endpoint_auth_method", "none");
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("response_types", List.of("code"));
        body.put("client_name", "Test MCP client");
        return body;
    }

    private static Response register(String path, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    void rfc7591_3_2_1_registrationAnswers201WithTheClient() {
        Response response = register("/oauth2/register", validRequest());
        assertEquals(201, response.statusCode(), response.asString());
        JsonPath body = response.jsonPath();
        String clientId = body.getString("client_id");
        assertNotNull(clientId, "client_id missing");
        assertFalse(clientId.isBlank());
        assertEquals(List.of(REDIRECT), body.getList("redirect_uris"));
        assertEquals("Test MCP client", body.getString("client_name"));
        assertEquals("none", body.getString("token_endpoint_auth_method"));
        assertTrue(String.valueOf(response.header("Cache-Control")).contains("no-store"),
                "Cache-Control: " + response.header("Cache-Control"));
        // A second registration is another client.
        assertNotEquals(clientId, register("/oauth2/register", validRequest()).jsonPath().getString("client_id"));
    }

    static Stream<Arguments> refusedRegistrations() {
        Map<String, Object> noRedirects = validRequest();
        noRedirects.remove("redirect_uris");
        Map<String, Object> plainHttp = validRequest();
        plainHttp.put("redirect_uris", List.of("http://example.com/cb"));
        Map<String, Object> secretBasic = validRequest();
        secretBasic.put("token_endpoint_auth_method", "client_secret_basic");
        Map<String, Object> unknownScope = validRequest();
        unknownScope.put("scope", "profile:read no-such:scope");
        Map<String, Object> password = validRequest();
        password.put("grant_types", List.of("password"));
        // Issue 10 finding 11: a huge name, thousands of redirect URIs, a name that impersonates the dashboard,
        // and a logo_uri that is script.
        Map<String, Object> hugeName = validRequest();
        hugeName.put("client_name", "x".repeat(10_000));
        Map<String, Object> invisibleName = validRequest();
        invisibleName.put("client_name", "My app\u202Egnp.exe");
        Map<String, Object> manyRedirects = validRequest();
        manyRedirects.put("redirect_uris", java.util.stream.IntStream.range(0, 5_000).mapToObj(i -> "https://app.example/cb" + i).toList());
        Map<String, Object> impersonating = validRequest();
        impersonating.put("client_name", "Gatehouse  Dashboard");
        Map<String, Object> scriptLogo = validRequest();
        scriptLogo.put("logo_uri", "javascript:alert(1)");
        Map<String, Object> plainHttpPolicy = validRequest();
        plainHttpPolicy.put("policy_uri", "http://app.example/privacy");
        return Stream.of(
                Arguments.of("a name of 10,000 characters", hugeName, "invalid_client_metadata"),
                Arguments.of("a name with a direction override", invisibleName, "invalid_client_metadata"),
                Arguments.of("5,000 redirect URIs", manyRedirects, "invalid_redirect_uri"),
                Arguments.of("the dashboard's name", impersonating, "invalid_client_metadata"),
                Arguments.of("a javascript: logo_uri", scriptLogo, "invalid_client_metadata"),
                Arguments.of("an http policy_uri", plainHttpPolicy, "invalid_client_metadata"),
                Arguments.of("no redirect_uris", noRedirects, "invalid_redirect_uri"),
                Arguments.of("plain http to a non-loopback host", plainHttp, "invalid_redirect_uri"),
                Arguments.of("client_secret_basic", secretBasic, "invalid_client_metadata"),
                Arguments.of("unknown scope", unknownScope, "invalid_client_metadata"),
                Arguments.of("password grant", password, "invalid_client_metadata"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRegistrations")
    void rfc7591_3_2_2_refusalsAreErrorResponses(String why, Map<String, Object> body, String error) {
        Response response = register("/oauth2/register", body);
        assertEquals(400, response.statusCode(), why + ": " + response.asString());
        assertEquals(error, response.jsonPath().getString("error"), why);
        String description = response.jsonPath().getString("error_description");
        assertNotNull(description, why + ": error_description missing");
        assertFalse(description.isBlank());
    }

    /**
     * What an MCP client does knowing nothing but the API's URL (MCP authorization; RFC 9728, 8414, 7591,
     * 7636, 8707, 9207): 401 → protected-resource metadata → authorization-server metadata → registration
     * → authorization with consent → token → API call → refresh.
     */
    @Test
    void mcp_clientWithNoPriorKnowledgeGetsToTheApi() throws Exception {
        // 1. A bare call names the protected-resource metadata.
        Response unauthorized = given().get("/v1/me");
        assertEquals(401, unauthorized.statusCode());
        String challenge = String.join(", ", unauthorized.headers().getValues("WWW-Authenticate"));
        Matcher matcher = RESOURCE_METADATA.matcher(challenge);
        assertTrue(matcher.find(), "no resource_metadata in " + challenge);

        // 2. Protected-resource metadata: the resource and its authorization server.
        JsonPath prm = given().get(pathOf(matcher.group(1))).then().statusCode(200).extract().jsonPath();
        String resource = prm.getString("resource");
        List<String> servers = prm.getList("authorization_servers");
        assertNotNull(resource);
        assertFalse(servers == null || servers.isEmpty(), "no authorization_servers");
        String authorizationServer = servers.getFirst();

        // 3. Authorization-server metadata, at the RFC 8414 §3.1 well-known path for that issuer.
        URI asUri = URI.create(authorizationServer);
        String issuerPath = asUri.getRawPath() == null || asUri.getRawPath().equals("/") ? "" : asUri.getRawPath();
        JsonPath metadata = given().get("/.well-known/oauth-authorization-server" + issuerPath)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(authorizationServer, metadata.getString("issuer"), "RFC 8414 §3.3");
        assertTrue(metadata.getList("code_challenge_methods_supported").contains("S256"), "MCP requires S256 PKCE");

        // 4. Dynamic registration.
        Response registration = register(pathOf(metadata.getString("registration_endpoint")), validRequest());
        assertEquals(201, registration.statusCode(), registration.asString());
        String clientId = registration.jsonPath().getString("client_id");

        // 5. Authorization as a new person: a consent page, since the client is not first-party.
        String email = Http.newEmail();
        String session = Http.signUp(email);
        OAuthFlow.Request request = OAuthFlow.Request.of(clientId, REDIRECT, "profile:read")
                .withResource(resource)
                .at(pathOf(metadata.getString("authorization_endpoint")));
        Response consent = OAuthFlow.startAuthorization(session, request);
        assertEquals(200, consent.statusCode(), "expected the consent page, got " + consent.statusCode() + " " + consent.header("Location"));
        Response approved = OAuthFlow.decide(session, consent.asString(), "allow", request.authorizePath());
        assertEquals(303, approved.statusCode(), approved.asString());
        String location = approved.header("Location");
        assertTrue(location.startsWith(REDIRECT + "?"), location);
        Map<String, String> callback = OAuthFlow.queryOf(location);
        assertEquals(request.state(), callback.get("state"));
        assertEquals(authorizationServer, callback.get("iss"), "RFC 9207 §2");
        String code = callback.get("code");
        assertNotNull(code, location);

        // 6. Code exchange: public client, PKCE verifier, RFC 8707 resource.
        String tokenPath = pathOf(metadata.getString("token_endpoint"));
        Response tokens = OAuthFlow.exchange(OAuthFlow.asPublicClient(clientId), tokenPath, code, request);
        assertEquals(200, tokens.statusCode(), tokens.asString());
        assertTrue(String.valueOf(tokens.header("Cache-Control")).contains("no-store"), "RFC 6749 §5.1");
        String access = tokens.jsonPath().getString("access_token");
        String refresh = tokens.jsonPath().getString("refresh_token");
        assertNotNull(access);
        assertNotNull(refresh, "authorization_code + refresh_token client gets a refresh token");
        assertTrue("Bearer".equalsIgnoreCase(tokens.jsonPath().getString("token_type")));
        assertTrue(SignedJWT.parse(access).getJWTClaimsSet().getAudience().contains(resource),
                "RFC 8707: the access token is for the resource asked for");

        // 7. The API call.
        Response me = Http.me(access);
        assertEquals(200, me.statusCode(), me.asString());
        assertEquals("access", me.jsonPath().getString("key.kind"));
        assertEquals(email, me.jsonPath().getString("account.email"));

        // 8. Refresh: new tokens, and they work.
        Response refreshed = OAuthFlow.asPublicClient(clientId)
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh)
                .post(tokenPath);
        assertEquals(200, refreshed.statusCode(), refreshed.asString());
        String newAccess = refreshed.jsonPath().getString("access_token");
        String newRefresh = refreshed.jsonPath().getString("refresh_token");
        assertNotNull(newAccess);
        assertNotNull(newRefresh);
        assertNotEquals(access, newAccess);
        assertNotEquals(refresh, newRefresh, "RFC 9700 §4.14: refresh tokens rotate");
        Response meAgain = Http.me(newAccess);
        assertEquals(200, meAgain.statusCode(), meAgain.asString());
        assertEquals("access", meAgain.jsonPath().getString("key.kind"));
        assertEquals(email, meAgain.jsonPath().getString("account.email"));
        assertEquals(ISSUER, SignedJWT.parse(newAccess).getJWTClaimsSet().getIssuer());
    }
}
