package dev.gatehouse.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code gatehouse.oauth.*}: the authorization server. */
@ConfigMapping(prefix = "gatehouse.oauth")
public interface OAuthConfig {
    /** Access tokens (RFC 9068 JWTs) are short-lived. */
    @WithDefault("5m")
    Duration accessTokenLifetime();

    @WithDefault("5m")
    Duration idTokenLifetime();

    /** RFC 6749 §4.1.2 recommends at most 10 minutes. */
    @WithDefault("60s")
    Duration authorizationCodeLifetime();

    /** A refresh token unused this long expires (RFC 9700 §4.14). */
    @WithDefault("14d")
    Duration refreshTokenInactivity();

    /** No refresh token of a grant outlives this, however often it is used. */
    @WithDefault("30d")
    Duration refreshTokenLifetime();

    /** The API resource tokens are for (RFC 8707 / RFC 9728 {@code resource}); defaults to the issuer. */
    Optional<URI> resource();

    /** The scope that lets a first-party JWT manage API keys; never granted to API keys or third parties. */
    @WithDefault("keys:manage")
    String managementScope();

    Dashboard dashboard();

    ClientMetadata clientMetadata();

    Registration registration();

    /** {@code POST /oauth2/register} (RFC 7591): anyone may register, so within limits. */
    interface Registration {
        /** Registrations per caller address per window; past it, 429. */
        @WithDefault("20")
        int perAddress();

        @WithDefault("1h")
        Duration window();
    }

    /** The first-party dashboard: a public client, seeded at start-up. */
    interface Dashboard {
        @WithDefault("gatehouse-dashboard")
        String clientId();

        /**
         * Where the dashboard receives codes. No default outside dev and test: a first-party client that
         * skips consent and may manage keys must point at the real dashboard, not at whatever listens on
         * some localhost port.
         */
        Optional<List<String>> redirectUris();

        /** First-party: no consent page. */
        @WithDefault("true")
        boolean skipConsent();
    }

    /** Client ID metadata documents (a client_id that is an https URL). */
    interface ClientMetadata {
        @WithDefault("true")
        boolean enabled();

        /** Fetching from loopback or private addresses is an SSRF risk; only tests and labs allow it. */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        @WithDefault("5120")
        int maxBytes();

        @WithDefault("3s")
        Duration timeout();

        /** Longest a fetched document is trusted, whatever its Cache-Control says. */
        @WithDefault("10m")
        Duration maxCacheTime();

        /** A PKCS12 trust store to use instead of the JDK's CAs (private CAs, tests); the JDK's by default. */
        Optional<java.nio.file.Path> trustStore();

        Optional<String> trustStorePassword();
    }
}
