package dev.gatehouse.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatehouse.upstream."<name>".*}: identity providers people may sign in with (issue 12 §1). Each is an
 * OpenID provider whose metadata Gatehouse reads from {@code <issuer>/.well-known/openid-configuration} (Google
 * is one: {@code https://accounts.google.com}). Gatehouse is a confidential client there; its redirect URI is
 * {@code <gatehouse issuer>/login/upstream/<name>/callback}.
 */
@ConfigMapping(prefix = "gatehouse.upstream")
public interface UpstreamConfig {
    @WithParentName
    Map<String, Provider> providers();

    /** How long a person may take at the provider before coming back. */
    @WithDefault("10m")
    Duration loginLifetime();

    /** Wrong passwords allowed, per account and window, when confirming a link to an existing account. */
    @WithDefault("5")
    int linkAttempts();

    @WithDefault("15m")
    Duration linkWindow();

    /**
     * How long, after the sign-in's own {@code login-lifetime}, the emailed link works that confirms a link
     * instead of the password; it must be opened in the browser that signed in at the provider.
     */
    @WithDefault("15m")
    Duration linkMailLifetime();

    /** Confirmation mails per account and provider identity, per {@code link-window}. */
    @WithDefault("3")
    int linkMails();

    /** Confirmation mails per account, whatever the identities, per {@code link-window}: nobody can flood an inbox. */
    @WithDefault("10")
    int linkMailsPerAccount();

    /** How a provider signs people in. */
    enum Kind {
        /** OpenID Connect: discovery, ID tokens (Google, Keycloak, Okta, Entra ID, another Gatehouse, …). */
        OIDC,
        /** GitHub's OAuth 2 endpoints, then its user and emails API: GitHub has no ID tokens. */
        GITHUB
    }

    interface Provider {
        @WithDefault("oidc")
        Kind kind();

        /**
         * OIDC: the provider's issuer identifier, exactly as its ID tokens carry it. GitHub: its web address,
         * {@code https://github.com} (or a GitHub Enterprise server's).
         */
        URI issuer();

        /** GitHub only: its REST API, {@code https://api.github.com} by default (GitHub Enterprise: {@code <server>/api/v3}). */
        Optional<URI> apiUrl();

        String clientId();

        /** Gatehouse's client secret at the provider: set it from the environment, never in a committed file. */
        String clientSecret();

        /** Default: {@code openid,email,profile}; for GitHub, {@code read:user,user:email}. */
        Optional<List<String>> scopes();

        /** What the sign-in button says: "Sign in with <display-name>"; the name when absent. */
        Optional<String> displayName();
    }
}
