package dev.gatehouse.guard;

import dev.gatehouse.oauth.Resources;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code WWW-Authenticate: Bearer …} values per RFC 6750 §3 (specs.md §6.3). With no credential the
 * challenge carries no error code; with a bad one, {@code invalid_token}; with too few scopes,
 * {@code insufficient_scope} and the scope needed. Every challenge names the protected-resource metadata
 * (RFC 9728 §5), so an agent can discover everything from a bare 401; with no credential the header is
 * exactly seed 004's and auth.md's {@code Bearer resource_metadata="…"} (RFC 6750's realm is optional).
 */
@ApplicationScoped
public class BearerChallenge {
    private final String prefix;

    BearerChallenge(Resources resources) {
        this.prefix = "Bearer resource_metadata=\"" + resources.protectedResourceMetadataUrl() + "\"";
    }

    public String missing() {
        return prefix;
    }

    public String invalidToken() {
        return prefix + ", error=\"invalid_token\", error_description=\"The credential is missing, malformed, unknown, expired or revoked\"";
    }

    public String invalidRequest(String description) {
        return prefix + ", error=\"invalid_request\", error_description=\"" + description + "\"";
    }

    public String insufficientScope(String scope) {
        return prefix + ", error=\"insufficient_scope\", scope=\"" + scope + "\"";
    }

    /** True when {@code header} already names the metadata. */
    public static boolean namesMetadata(String header) {
        return header != null && header.contains("resource_metadata=");
    }
}
