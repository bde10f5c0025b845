package dev.gatehouse.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What {@link TokenStore#issue} needs to store a token, besides its secret. */
public record NewToken(
        TokenKind kind,
        UUID accountId,
        String clientId,
        String displayPrefix,
        String preview,
        String label,
        List<String> scopes,
        Environment environment,
        Instant expiresAt,
        IpAllowlist ipAllowlist,
        UUID authorizationId) {

    public static NewToken of(TokenKind kind, UUID accountId) {
        return new NewToken(kind, accountId, null, null, null, null, List.of(), null, null, IpAllowlist.ANYWHERE, null);
    }

    public NewToken withClient(String clientId) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    public NewToken withDisplay(String displayPrefix, String preview) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    public NewToken withLabel(String label) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    public NewToken withScopes(List<String> scopes) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    public NewToken withEnvironment(Environment environment) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    public NewToken expiringAt(Instant expiresAt) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    public NewToken withIpAllowlist(IpAllowlist ipAllowlist) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }

    /** A code or refresh token, issued under {@code authorizationId} and revoked with it. */
    public NewToken underAuthorization(UUID authorizationId) {
        return new NewToken(kind, accountId, clientId, displayPrefix, preview, label, scopes, environment, expiresAt, ipAllowlist, authorizationId);
    }
}
