package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthFlow.ISSUER;
import static dev.gatehouse.testing.OAuthFlow.pathOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Discovery as a client without prior knowledge sees it: RFC 8414 / OpenID Connect discovery metadata,
 * RFC 9728 protected-resource metadata reachable from a bare 401, the JWKS, and CORS where (and only
 * where) browsers and MCP clients need it.
 */
@QuarkusTest
class DiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AS_METADATA = "/.well-known/oauth-authorization-server";
    private static final String OIDC_METADATA = "/.well-known/openid-configuration";
    private static final String PRM = "/.well-known/oauth-protected-resource";
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");

    private static JsonNode fetchJson(String path) {
        Response response = given().get(path);
        assertEquals(200, response.statusCode(), path + " answered " + response.statusCode());
        String type = response.contentType();
        assertNotNull(type, path + " has no Content-Type");
        assertTrue(type.toLowerCase(Locale.ROOT).startsWith("application/json"), path + " is " + type);
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new AssertionError(path + " is not JSON: " + response.asString(), e);
        }
    }

    private static List<String> texts(JsonNode array) {
        assertTrue(array.isArray(), "expected an array, got " + array);
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @ParameterizedTest
    @ValueSource(strings = {AS_METADATA, OIDC_METADATA})
    void rfc8414_3_3_issuerIsEchoedExactly(String path) {
        JsonNode metadata = fetchJson(path);
        assertTrue(metadata.path("issuer").isTextual(), "issuer missing in " + path);
        assertEquals(ISSUER, metadata.path("issuer").asText(), "RFC 8414 §3.3: issuer must be identical to the configured one");
    }

    @ParameterizedTest
    @ValueSource(strings = {AS_METADATA, OIDC_METADATA})
    void rfc8414_2_metadataNamesEveryEndpointAndCapability(String path) {
        JsonNode metadata = fetchJson(path);
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint",
                "revocation_endpoint", "introspection_endpoint")) {
            JsonNode value = metadata.path(endpoint);
            assertTrue(value.isTextual() && !value.asText().isBlank(), endpoint + " missing in " + path);
            URI uri = URI.create(value.asText());
            assertTrue(uri.isAbsolute(), endpoint + " must be an absolute URL: " + uri);
            assertTrue(value.asText().startsWith(ISSUER + "/"), endpoint + " should live under the issuer: " + uri);
        }
        assertEquals(List.of("code"), texts(metadata.path("response_types_supported")));
        List<String> grants = texts(metadata.path("grant_types_supported"));
        assertTrue(grants.containsAll(List.of("authorization_code", "refresh_token", "client_credentials")), grants.toString());
        assertFalse(grants.contains("password"), "RFC 9700 §2.4: no password grant");
        assertFalse(grants.contains("implicit"), "RFC 9700 §2.1.2: no implicit grant");
        assertEquals(List.of("S256"), texts(metadata.path("code_challenge_methods_supported")));
        assertTrue(metadata.path("authorization_response_iss_parameter_supported").isBoolean());
        assertTrue(metadata.path("authorization_response_iss_parameter_supported").asBoolean(), "RFC 9207 §3");
        assertTrue(metadata.path("client_id_metadata_document_supported").isBoolean());
        assertTrue(metadata.path("client_id_metadata_document_supported").asBoolean());
        List<String> authMethods = texts(metadata.path("token_endpoint_auth_methods_supported"));
        assertTrue(authMethods.contains("client_secret_basic"), authMethods.toString());
        assertTrue(authMethods.contains("none"), "public clients (DCR, PKCE) authenticate with none: " + authMethods);
    }

    @ParameterizedTest
    @ValueSource(strings = {AS_METADATA, OIDC_METADATA, PRM})
    void rfc8414_3_2_noArrayIsEmpty(String path) {
        List<String> empty = new ArrayList<>();
        collectEmptyArrays(fetchJson(path), "$", empty);
        assertEquals(List.of(), empty, "RFC 8414 §3.2 / RFC 9728 §3.2: claims with zero elements must be omitted");
    }

    private static void collectEmptyArrays(JsonNode node, String where, List<String> empty) {
        if (node.isArray()) {
            if (node.isEmpty()) {
                empty.add(where);
            }
            for (int i = 0; i < node.size(); i++) {
                collectEmptyArrays(node.get(i), where + "[" + i + "]", empty);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectEmptyArrays(field.getValue(), where + "." + field.getKey(), empty);
            }
        }
    }

    @Test
    void rfc8414_openidConfigurationIsTheSameDocument() {
        assertEquals(fetchJson(AS_METADATA), fetchJson(OIDC_METADATA));
    }

    @Test
    void rfc9728_2_protectedResourceMetadata() {
        JsonNode prm = fetchJson(PRM);
        assertTrue(prm.path("resource").isTextual() && !prm.path("resource").asText().isBlank(), "resource missing");
        assertTrue(URI.create(prm.path("resource").asText()).isAbsolute(), "resource must be an absolute URI");
        assertTrue(texts(prm.path("authorization_servers")).contains(ISSUER),
                "authorization_servers must name the issuer: " + prm.path("authorization_servers"));
        assertEquals(List.of("header"), texts(prm.path("bearer_methods_supported")));
        List<String> scopes = texts(prm.path("scopes_supported"));
        assertFalse(scopes.isEmpty(), "scopes_supported must not be empty");
        assertTrue(scopes.contains("profile:read"), "GET /v1/me's scope should be advertised: " + scopes);
    }

    @Test
    void rfc9728_5_1_unauthorizedNamesResourceMetadata() {
        Response unauthorized = given().get("/v1/me");
        assertEquals(401, unauthorized.statusCode());
        List<String> challenges = unauthorized.headers().getValues("WWW-Authenticate");
        String bearer = challenges.stream().filter(value -> value.regionMatches(true, 0, "Bearer", 0, 6))
                .findFirst().orElseThrow(() -> new AssertionError("no Bearer challenge in " + challenges));
        Matcher matcher = RESOURCE_METADATA.matcher(bearer);
        assertTrue(matcher.find(), "no resource_metadata in " + bearer);
        URI metadataUrl = URI.create(matcher.group(1));
        assertTrue(metadataUrl.isAbsolute(), "resource_metadata must be an absolute URL: " + metadataUrl);
        assertTrue(metadataUrl.getRawPath().startsWith(PRM), "RFC 9728 §3.1 well-known path: " + metadataUrl);

        JsonNode fetched = fetchJson(pathOf(metadataUrl.toString()));
        assertEquals(fetchJson(PRM), fetched, "the named URL must serve the protected-resource metadata");
        // RFC 9728 §3.3: resource is the identifier the metadata URL was derived from.
        String derived = metadataUrl.getScheme() + "://" + metadataUrl.getRawAuthority()
                + metadataUrl.getRawPath().substring(PRM.length());
        assertEquals(derived, fetched.path("resource").asText());
    }

    @Test
    void rfc7517_jwksPublishesPublicKeysOnly() throws Exception {
        Response response = given().get("/oauth2/jwks");
        assertEquals(200, response.statusCode());
        JsonNode jwks = JSON.readTree(response.asString());
        JsonNode keys = jwks.path("keys");
        assertTrue(keys.isArray() && !keys.isEmpty(), "keys missing: " + jwks);
        for (JsonNode key : keys) {
            for (String member : List.of("kid", "kty", "alg")) {
                assertTrue(key.path(member).isTextual() && !key.path(member).asText().isBlank(), member + " missing in " + key);
            }
            for (String secret : List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k")) {
                assertFalse(key.has(secret), "private member " + secret + " published: " + key);
            }
        }
        // The document served as metadata points here.
        assertEquals(ISSUER + "/oauth2/jwks", fetchJson(AS_METADATA).path("jwks_uri").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/token", AS_METADATA})
    void specs_8_2_corsPreflightAllowsMcpProtocolVersion(String path) {
        Response preflight = given()
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "MCP-Protocol-Version")
                .options(path);
        assertTrue(preflight.statusCode() >= 200 && preflight.statusCode() < 300, "preflight answered " + preflight.statusCode());
        String allowOrigin = preflight.header("Access-Control-Allow-Origin");
        assertNotNull(allowOrigin, "no Access-Control-Allow-Origin on " + path);
        assertTrue(allowOrigin.equals("*") || allowOrigin.equals("https://app.example"), allowOrigin);
        String allowHeaders = preflight.header("Access-Control-Allow-Headers");
        assertNotNull(allowHeaders, "no Access-Control-Allow-Headers on " + path);
        assertTrue(allowHeaders.toLowerCase(Locale.ROOT).contains("mcp-protocol-version"), allowHeaders);
    }

    @Test
    void rfc9700_2_6_noCorsOnTheAuthorizationEndpoint() {
        Response preflight = given()
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "MCP-Protocol-Version")
                .options("/oauth2/authorize");
        assertNull(preflight.header("Access-Control-Allow-Origin"), "preflight to /oauth2/authorize allowed cross-origin");
        Response get = given().redirects().follow(false).header("Origin", "https://app.example")
                .get("/oauth2/authorize?client_id=" + dev.gatehouse.testing.OAuthFlow.DASHBOARD_CLIENT);
        assertNull(get.header("Access-Control-Allow-Origin"), "GET /oauth2/authorize allowed cross-origin");
    }
}
