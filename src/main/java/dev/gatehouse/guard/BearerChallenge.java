package dev.gatehouse.guard;

/**
 * {@code WWW-Authenticate: Bearer …} values per RFC 6750 §3 (specs.md §6.3). With no credential the
 * challenge carries no error code; with a bad one, {@code invalid_token}; with too few scopes,
 * {@code insufficient_scope} and the scope needed.
 */
public final class BearerChallenge {
    static final String REALM = "realm=\"gatehouse\"";

    private BearerChallenge() {
    }

    public static String missing() {
        return "Bearer " + REALM;
    }

    public static String invalidToken() {
        return "Bearer " + REALM + ", error=\"invalid_token\", error_description=\"The credential is missing, malformed, unknown, expired or revoked\"";
    }

    public static String invalidRequest(String description) {
        return "Bearer " + REALM + ", error=\"invalid_request\", error_description=\"" + description + "\"";
    }

    public static String insufficientScope(String scope) {
        return "Bearer " + REALM + ", error=\"insufficient_scope\", scope=\"" + scope + "\"";
    }
}
