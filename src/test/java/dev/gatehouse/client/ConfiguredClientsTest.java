package dev.gatehouse.client;

import static dev.gatehouse.testing.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.scope.ScopeCatalogue;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Declarative clients (issue 9 §1, Hydra #3478): {@code gatehouse.clients."<id>".*} seeded at start with the
 * admin API's checks, the secret from an environment variable or as its hash, read-only in the admin API.
 */
@QuarkusTest
@TestProfile(ConfiguredClientsTest.TwoClients.class)
class ConfiguredClientsTest {
    static final String BILLING_SECRET = "billing-service-secret-0123456789abcdef";

    public static class TwoClients implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gatehouse.clients.\"billing\".name", "Billing",
                    "gatehouse.clients.\"billing\".secret-env", "BILLING_CLIENT_SECRET",
                    "BILLING_CLIENT_SECRET", BILLING_SECRET,
                    "gatehouse.clients.\"billing\".grant-types", "client_credentials",
                    "gatehouse.clients.\"billing\".scopes", "profile:read,gatehouse:verify",
                    "gatehouse.clients.\"billing\".access-token-lifetime", "2m",
                    "gatehouse.clients.\"partner-web\".token-endpoint-auth-method", "none",
                    "gatehouse.clients.\"partner-web\".redirect-uris", "https://partner.example/callback");
        }
    }

    @Inject
    AgroalDataSource database;

    @Inject
    ScopeCatalogue catalogue;

    @Inject
    OAuthConfig oauth;

    @Inject
    Config config;

    @Test
    void configuredClientsWorkAtOnceAndAreReadOnlyInTheAdminApi() throws Exception {
        given().auth().preemptive().basic("billing", BILLING_SECRET).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("scope", "profile:read").post("/oauth2/token")
                .then().statusCode(200).body("expires_in", equalTo(120));
        asOperator().get("/admin/clients/billing").then().statusCode(200).body("origin", equalTo("configured"))
                .body("scope", equalTo("profile:read gatehouse:verify")).body("client_name", equalTo("Billing"));
        asOperator().get("/admin/clients/partner-web").then().statusCode(200).body("token_endpoint_auth_method", equalTo("none"))
                .body("grant_types", equalTo(List.of("authorization_code", "refresh_token")));
        asOperator().contentType(ContentType.JSON).body(Map.of("grant_types", List.of("client_credentials")))
                .put("/admin/clients/billing").then().statusCode(409);
        asOperator().contentType(ContentType.JSON).body("{}").post("/admin/clients/billing/secret").then().statusCode(409);
        try (Connection connection = database.getConnection();
                ResultSet row = connection.createStatement().executeQuery("select row_to_json(c)::text from oauth_client c where client_id = 'billing'")) {
            assertTrue(row.next());
            assertFalse(row.getString(1).contains(BILLING_SECRET), "only the secret's hash is stored");
        }
    }

    @Test
    void aClientConfiguredWrongStopsTheStartWithTheReason() {
        ClientMetadata.Rules rules = ClientMetadata.Rules.operators(catalogue, oauth);
        String plaintextAsHash = assertThrows(IllegalStateException.class, () -> ConfiguredClients.client("svc",
                configured("client_secret_basic", Optional.of("not-a-hash"), Optional.empty(), List.of("client_credentials"), null),
                rules, config)).getMessage();
        assertTrue(plaintextAsHash.contains("secret-sha256 must be the 64 hex digits"), plaintextAsHash);
        assertFalse(plaintextAsHash.contains("not-a-hash"), "the value given is not repeated: " + plaintextAsHash);
        String both = assertThrows(IllegalStateException.class, () -> ConfiguredClients.client("svc",
                configured("client_secret_basic", Optional.empty(), Optional.empty(), List.of("client_credentials"), null),
                rules, config)).getMessage();
        assertTrue(both.contains("exactly one of secret-sha256"), both);
        String unset = assertThrows(IllegalStateException.class, () -> ConfiguredClients.client("svc",
                configured("client_secret_basic", Optional.empty(), Optional.of("NO_SUCH_VARIABLE_HERE"), List.of("client_credentials"), null),
                rules, config)).getMessage();
        assertTrue(unset.contains("NO_SUCH_VARIABLE_HERE, which is not set"), unset);
        String grant = assertThrows(IllegalStateException.class, () -> ConfiguredClients.client("svc",
                configured("none", Optional.empty(), Optional.empty(), List.of("client_credentials"), null), rules, config)).getMessage();
        assertTrue(grant.startsWith("gatehouse.clients.\"svc\": ") && grant.contains("public client"), grant);
        String lifetime = assertThrows(IllegalStateException.class, () -> ConfiguredClients.client("svc",
                configured("client_secret_basic", Optional.of("a".repeat(64)), Optional.empty(), List.of("client_credentials"),
                        Duration.ofDays(365)), rules, config)).getMessage();
        assertTrue(lifetime.contains("access_token_lifetime"), lifetime);
        assertThrows(IllegalStateException.class, () -> ConfiguredClients.client("bad id!",
                configured("none", Optional.empty(), Optional.empty(), List.of("authorization_code"), null), rules, config));
        assertEquals("svc", ConfiguredClients.client("svc", configured("client_secret_basic", Optional.of("A".repeat(64)), Optional.empty(),
                List.of("client_credentials"), null), rules, config).clientId());
    }

    private static ClientsConfig.Configured configured(String method, Optional<String> hash, Optional<String> env, List<String> grants,
            Duration accessLifetime) {
        return new ClientsConfig.Configured() {
            public Optional<String> name() {
                return Optional.empty();
            }

            public String tokenEndpointAuthMethod() {
                return method;
            }

            public Optional<String> secretSha256() {
                return hash;
            }

            public Optional<String> secretEnv() {
                return env;
            }

            public Optional<List<String>> redirectUris() {
                return Optional.empty();
            }

            public List<String> grantTypes() {
                return grants;
            }

            public Optional<List<String>> scopes() {
                return Optional.of(List.of("profile:read"));
            }

            public boolean skipConsent() {
                return false;
            }

            public Optional<Duration> accessTokenLifetime() {
                return Optional.ofNullable(accessLifetime);
            }

            public Optional<Duration> refreshTokenLifetime() {
                return Optional.empty();
            }
        };
    }
}
