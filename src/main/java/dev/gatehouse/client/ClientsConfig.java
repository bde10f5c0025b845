package dev.gatehouse.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatehouse.clients."<client-id>".*}: clients kept in configuration (and so in Git), seeded at every
 * start with the same checks as the admin API's (docs/admin.md). A confidential client's secret is given
 * as its SHA-256 or as the name of an environment variable that holds it; never as itself.
 */
@ConfigMapping(prefix = "gatehouse.clients")
public interface ClientsConfig {
    @WithParentName
    Map<String, Configured> all();

    interface Configured {
        /** A display name; the client id when absent. */
        Optional<String> name();

        /** {@code client_secret_basic}, {@code client_secret_post}, or {@code none} for a public client. */
        @WithDefault("client_secret_basic")
        String tokenEndpointAuthMethod();

        /** Hex SHA-256 of the secret ({@code printf %s "$SECRET" | sha256sum}); the secret must be random, 128 bits or more. */
        Optional<String> secretSha256();

        /** The name of an environment variable (or any configuration key) holding the secret; hashed at start, never stored. */
        Optional<String> secretEnv();

        Optional<List<String>> redirectUris();

        @WithDefault("authorization_code,refresh_token")
        List<String> grantTypes();

        /** The scopes it may ask for; the catalogue's and the OpenID scopes when absent. */
        Optional<List<String>> scopes();

        @WithDefault("false")
        boolean skipConsent();

        Optional<Duration> accessTokenLifetime();

        Optional<Duration> refreshTokenLifetime();
    }
}
