package dev.gatehouse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A client that asks to upgrade a plain-HTTP connection to HTTP/2 (h2c, RFC 7540 §3.2), as Java's default
 * HttpClient does on its first request to a host, still has its POST form read: the token endpoint and the pages'
 * forms answer what the form said, not that it was empty.
 */
@QuarkusTest
class CleartextUpgradeTest {
    @TestHTTPResource("/")
    URI base;

    private HttpResponse<String> postFormOnFreshConnection(String path, String form) throws Exception {
        // A new client per request: a new connection, so the form rides on the upgrade request itself.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTokenEndpointReadsTheFormOfAnUpgradeRequest() throws Exception {
        HttpResponse<String> answer = postFormOnFreshConnection("/oauth2/token", "grant_type=urn%3Aexample%3Anot-a-grant");
        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("unsupported_grant_type"), answer.body());
    }

    @Test
    void theOAuthEndpointsReadFormsOnAnUpgradedConnection() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        http.send(HttpRequest.newBuilder(base.resolve("/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.discarding());
        for (String path : new String[] {"/oauth2/token", "/oauth2/introspect", "/oauth2/revoke"}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=urn%3Aexample%3Anot-a-grant&token=x&client_id=nobody&client_secret=x"))
                    .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, answer.version(), "the connection was upgraded");
            assertTrue(answer.statusCode() == 400 || answer.statusCode() == 401, path + ": " + answer.body());
            // Read, the form names a client (client_secret_post) that does not exist; unread, there would be none.
            assertTrue(!answer.body().contains("could not be read") && !answer.body().contains("is required"), path + ": " + answer.body());
        }
    }

    @Test
    void aPageReadsTheFormOfAnUpgradeRequest() throws Exception {
        HttpResponse<String> answer = postFormOnFreshConnection("/password-reset", "email=not-an-address");
        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("email is not a valid email address"), answer.body());
    }

    /**
     * The form limits hold over HTTP/2 as over HTTP/1.1 (docs/limits.md): a field past max-form-attribute-size, or
     * more fields than max-form-fields, is refused in the OAuth error shape, whichever way the form was read.
     */
    @Test
    void theFormLimitsHoldOverBothVersions() throws Exception {
        String longField = "grant_type=client_credentials&client_id=nobody&client_secret=" + "x".repeat(5000);
        StringBuilder manyFields = new StringBuilder("grant_type=client_credentials");
        for (int i = 0; i < 300; i++) {
            manyFields.append("&f").append(i).append("=1");
        }
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient http = HttpClient.newBuilder().version(version).build();
            for (String form : new String[] {longField, manyFields.toString()}) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, answer.statusCode(), version + ": " + answer.body());
                assertTrue(answer.body().contains("\"error\":\"invalid_request\"") && answer.body().contains("could not be read"),
                        version + ": " + answer.body());
            }
        }
    }
}
