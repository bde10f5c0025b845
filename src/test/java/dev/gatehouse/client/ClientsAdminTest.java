package dev.gatehouse.client;

import static dev.gatehouse.testing.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.OAuthFlow;
import dev.gatehouse.token.TokenHash;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin API's clients (issue 9 §1), through HTTP against PostgreSQL: RFC 7591 metadata in, a secret
 * out once and stored as a hash, the client usable at the token and introspection endpoints at once,
 * paging, replacing, rotating a secret with a grace period, and deleting (which revokes what the client holds).
 */
@QuarkusTest
class ClientsAdminTest {
    @Inject
    AgroalDataSource database;

    @Inject
    MovableClock clock;

    private static Response create(Map<String, Object> metadata) {
        return asOperator().contentType(ContentType.JSON).body(metadata).post("/admin/clients");
    }

    private static RequestSpecification as(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC);
    }

    private static Response clientCredentials(String clientId, String secret) {
        return as(clientId, secret).formParam("grant_type", "client_credentials").formParam("scope", "profile:read").post("/oauth2/token");
    }

    @Test
    void aConfidentialClientIsMadeWithItsSecretShownOnceAndStoredAsAHash() throws Exception {
        Response created = create(Map.of("client_name", "Billing service", "grant_types", List.of("client_credentials"),
                "token_endpoint_auth_method", "client_secret_basic", "scope", "profile:read"));
        created.then().statusCode(201).header("Cache-Control", containsString("no-store"))
                .body("client_name", equalTo("Billing service"))
                .body("grant_types", equalTo(List.of("client_credentials")))
                .body("token_endpoint_auth_method", equalTo("client_secret_basic"))
                .body("client_secret_expires_at", equalTo(0));
        String id = created.path("client_id");
        String secret = created.path("client_secret");
        assertEquals("/admin/clients/" + id, java.net.URI.create(created.header("Location")).getPath());

        // RFC 6749 §4.4 and RFC 7662 with it at once: no restart, no configuration.
        String token = clientCredentials(id, secret).then().statusCode(200).extract().path("access_token");
        as(id, secret).formParam("token", token).post("/oauth2/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("client_id", equalTo(id));

        // Read back without the secret, which is stored only as its SHA-256.
        asOperator().get("/admin/clients/" + id).then().statusCode(200)
                .body("client_secret", nullValue()).body("origin", equalTo("admin")).body("scope", equalTo("profile:read"));
        try (Connection connection = database.getConnection();
                PreparedStatement row = connection.prepareStatement("select secret_hash, row_to_json(c)::text from oauth_client c where client_id = ?")) {
            row.setString(1, id);
            try (ResultSet result = row.executeQuery()) {
                assertTrue(result.next());
                assertEquals(HexFormat.of().formatHex(TokenHash.of(secret).bytes()), HexFormat.of().formatHex(result.getBytes(1)));
                assertFalse(result.getString(2).contains(secret), "the plaintext secret is nowhere in the row");
            }
        }
    }

    @Test
    void aRotatedSecretWorksUntilItsGracePeriodEndsThenOnlyTheNewOne() {
        Response created = create(Map.of("client_name", "Rotating", "grant_types", List.of("client_credentials"),
                "token_endpoint_auth_method", "client_secret_post", "scope", "profile:read"));
        String id = created.path("client_id");
        String old = created.path("client_secret");

        Response rotated = asOperator().contentType(ContentType.JSON).body(Map.of("grace_period", 3600))
                .post("/admin/clients/" + id + "/secret");
        rotated.then().statusCode(200).header("Cache-Control", containsString("no-store"))
                .body("previous_secret_expires_at", notNullValue());
        String fresh = rotated.path("client_secret");
        assertNotEquals(old, fresh);
        clientCredentialsByPost(id, old).then().statusCode(200);
        clientCredentialsByPost(id, fresh).then().statusCode(200);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        try {
            clientCredentialsByPost(id, old).then().statusCode(401).body("error", equalTo("invalid_client"));
            clientCredentialsByPost(id, fresh).then().statusCode(200);
        } finally {
            clock.reset();
        }

        // Without a grace period the old secret stops at once; a public client has none to rotate.
        String third = asOperator().contentType(ContentType.JSON).body("{}").post("/admin/clients/" + id + "/secret")
                .then().statusCode(200).extract().path("client_secret");
        clientCredentialsByPost(id, fresh).then().statusCode(401);
        clientCredentialsByPost(id, third).then().statusCode(200);
        asOperator().contentType(ContentType.JSON).body(Map.of("grace_period", -1)).post("/admin/clients/" + id + "/secret")
                .then().statusCode(400);
        clientCredentialsByPost(id, third).then().statusCode(200);
    }

    private static Response clientCredentialsByPost(String id, String secret) {
        return given().contentType(ContentType.URLENC).formParam("client_id", id).formParam("client_secret", secret)
                .formParam("grant_type", "client_credentials").formParam("scope", "profile:read").post("/oauth2/token");
    }

    @Test
    void clientsArePagedInClientIdOrder() {
        for (int i = 0; i < 3; i++) {
            create(Map.of("client_name", "Paged " + i, "redirect_uris", List.of("https://app.example/cb"),
                    "token_endpoint_auth_method", "none")).then().statusCode(201);
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            RequestSpecification request = asOperator().queryParam("page_size", 2);
            if (next != null) {
                request.queryParam("page_token", next);
            }
            Response page = request.get("/admin/clients");
            page.then().statusCode(200);
            List<String> ids = page.path("clients.client_id");
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            next = page.path("next_page_token");
            pages++;
        } while (next != null && pages < 1000);
        assertEquals(seen.stream().sorted().toList(), seen, "in client_id order");
        assertEquals(seen.stream().distinct().count(), seen.size(), "no client twice");
        assertTrue(seen.size() >= 3);
        asOperator().queryParam("page_size", 0).get("/admin/clients").then().statusCode(400);
        asOperator().queryParam("page_size", "many").get("/admin/clients").then().statusCode(400);
    }

    @Test
    void replacingChangesTheMetadataButNeverTheKindOfClientNorAClientFromConfiguration() {
        Response created = create(Map.of("client_name", "Web app", "redirect_uris", List.of("https://app.example/cb"),
                "token_endpoint_auth_method", "none", "scope", "openid profile:read"));
        String id = created.path("client_id");
        asOperator().contentType(ContentType.JSON).body(Map.of("client_name", "Web app 2", "redirect_uris",
                List.of("https://app.example/new"), "token_endpoint_auth_method", "none", "scope", "openid offline_access",
                "skip_consent", true, "access_token_lifetime", 120)).put("/admin/clients/" + id)
                .then().statusCode(200).body("client_name", equalTo("Web app 2")).body("redirect_uris", equalTo(List.of("https://app.example/new")))
                .body("scope", equalTo("openid offline_access")).body("skip_consent", equalTo(true)).body("access_token_lifetime", equalTo(120));

        // Bad input changes nothing.
        asOperator().contentType(ContentType.JSON).body(Map.of("redirect_uris", List.of("https://app.example/cb"),
                "token_endpoint_auth_method", "client_secret_basic")).put("/admin/clients/" + id).then().statusCode(400);
        asOperator().contentType(ContentType.JSON).body(Map.of("redirect_uris", List.of("http://evil.example/cb"),
                "token_endpoint_auth_method", "none")).put("/admin/clients/" + id).then().statusCode(400).body("error", equalTo("invalid_redirect_uri"));
        asOperator().contentType(ContentType.JSON).body(Map.of("redirect_uris", List.of("https://app.example/cb"),
                "token_endpoint_auth_method", "none", "access_token_lifetime", 10_000_000)).put("/admin/clients/" + id)
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
        asOperator().get("/admin/clients/" + id).then().statusCode(200).body("client_name", equalTo("Web app 2"))
                .body("redirect_uris", equalTo(List.of("https://app.example/new")));

        asOperator().contentType(ContentType.JSON).body(Map.of("redirect_uris", List.of("https://app.example/cb"), "token_endpoint_auth_method", "none"))
                .put("/admin/clients/" + OAuthFlow.DASHBOARD_CLIENT).then().statusCode(409);
        asOperator().delete("/admin/clients/" + OAuthFlow.DASHBOARD_CLIENT).then().statusCode(409);
        asOperator().get("/admin/clients/no-such-client").then().statusCode(404);
        asOperator().delete("/admin/clients/no-such-client").then().statusCode(404);
    }

    @Test
    void badMetadataIsRefusedInRfc7591sShapeAndStoresNothing() throws Exception {
        long before = clients();
        create(Map.of("grant_types", List.of("client_credentials"), "token_endpoint_auth_method", "none"))
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
        create(Map.of("grant_types", List.of("password"))).then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
        create(Map.of("grant_types", List.of("authorization_code"), "token_endpoint_auth_method", "none"))
                .then().statusCode(400).body("error", equalTo("invalid_redirect_uri"));
        create(Map.of("grant_types", List.of("client_credentials"), "scope", "root")).then().statusCode(400)
                .body("error_description", containsString("Unknown scope root"));
        asOperator().contentType(ContentType.JSON).body("[]").post("/admin/clients").then().statusCode(400);
        assertEquals(before, clients());
        // Without the operator's token the admin API does not exist.
        given().contentType(ContentType.JSON).body(Map.of("grant_types", List.of("client_credentials"))).post("/admin/clients")
                .then().statusCode(404);
        assertEquals(before, clients());
    }

    @Test
    void aClientsOwnAccessTokenLifetimeIsWhatItsTokensGet() {
        Response created = create(Map.of("grant_types", List.of("client_credentials"), "scope", "profile:read",
                "access_token_lifetime", 60));
        created.then().statusCode(201).body("token_endpoint_auth_method", equalTo("client_secret_basic"));
        clientCredentials(created.path("client_id"), created.path("client_secret")).then().statusCode(200).body("expires_in", equalTo(60));
    }

    @Test
    void deletingAClientRevokesTheTokensItHoldsAtOnce() {
        Response created = create(Map.of("client_name", "Partner app", "redirect_uris", List.of("http://127.0.0.1/callback"),
                "grant_types", List.of("authorization_code", "refresh_token"), "scope", "profile:read", "skip_consent", true));
        created.then().statusCode(201);
        String id = created.path("client_id");
        String secret = created.path("client_secret");
        String session = Http.signUpSomeone();
        OAuthFlow.Request request = OAuthFlow.Request.of(id, "http://127.0.0.1/callback", "profile:read");
        String code = OAuthFlow.code(session, request);
        Response tokens = OAuthFlow.exchange(as(id, secret), "/oauth2/token", code, request);
        tokens.then().statusCode(200).body("refresh_token", notNullValue());
        String access = tokens.path("access_token");
        String refresh = tokens.path("refresh_token");
        given().header("Authorization", "Bearer " + access).get("/v1/me").then().statusCode(200);

        asOperator().delete("/admin/clients/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + access).get("/v1/me").then().statusCode(401);
        as(id, secret).formParam("grant_type", "refresh_token").formParam("refresh_token", refresh).post("/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        asOperator().get("/admin/clients/" + id).then().statusCode(404);
        asOperator().get("/admin/clients").then().statusCode(200).body("clients.client_id", org.hamcrest.Matchers.not(hasItem(id)));
    }

    @Test
    void registrationAcceptsOfflineAccessAsOauth4webapiAsksForIt() {
        given().contentType(ContentType.JSON).body(Map.of("redirect_uris", List.of("http://127.0.0.1:3000/cb"),
                "token_endpoint_auth_method", "none", "scope", "openid offline_access")).post("/oauth2/register")
                .then().statusCode(201).body("scope", equalTo("openid offline_access"));
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("scopes_supported", hasItem("offline_access"));
    }

    @Test
    void theAdminApiAndHowToCallItAreInTheOpenApiDocument() {
        given().get("/openapi.json").then().statusCode(200)
                .body("components.securitySchemes.operator.type", equalTo("http"))
                .body("components.securitySchemes.operator.scheme", equalTo("bearer"))
                .body("paths.'/admin/clients'.post.security[0]", org.hamcrest.Matchers.hasKey("operator"))
                .body("paths.'/admin/clients/{id}/secret'.post", notNullValue())
                .body("paths.'/admin/owners/{id}/plan'.put.security[0]", org.hamcrest.Matchers.hasKey("operator"));
    }

    private long clients() throws Exception {
        try (Connection connection = database.getConnection();
                ResultSet result = connection.createStatement().executeQuery("select count(*) from oauth_client")) {
            result.next();
            return result.getLong(1);
        }
    }
}
