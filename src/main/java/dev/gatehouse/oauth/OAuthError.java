package dev.gatehouse.oauth;

/**
 * An RFC 6749 §5.2 error: {@code {"error","error_description"}}, HTTP 400 unless said otherwise.
 * {@code invalid_client} after a failed Basic authentication is 401 with a Basic challenge.
 */
public class OAuthError extends RuntimeException {
    private final String code;
    private final int status;
    private final String challenge;

    public OAuthError(String code, String description) {
        this(code, description, 400, null);
    }

    private OAuthError(String code, String description, int status, String challenge) {
        super(description, null, false, false);
        this.code = code;
        this.status = status;
        this.challenge = challenge;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description);
    }

    public static OAuthError invalidTarget(String description) {
        return new OAuthError("invalid_target", description);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", description);
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", description);
    }

    /** Client authentication failed; {@code basic} when the client tried the Authorization header. */
    public static OAuthError invalidClient(String description, boolean basic) {
        return new OAuthError("invalid_client", description, 401, basic ? "Basic realm=\"gatehouse\"" : null);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String challenge() {
        return challenge;
    }
}
