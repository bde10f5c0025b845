package dev.gatehouse.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An immutable snapshot of one token, as the per-node cache holds it. The secret hash is kept so that
 * a lookup can be confirmed with a constant-time comparison.
 */
public record TokenRecord(
        UUID id,
        TokenKind kind,
        UUID accountId,
        String clientId,
        byte[] secretHash,
        String displayPrefix,
        String preview,
        String label,
        List<String> scopes,
        Environment environment,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        long usageCount,
        IpAllowlist ipAllowlist,
        UUID replaces,
        String rateLimitPolicy,
        UUID authorizationId,
        List<String> audience,
        Instant usedAt) {

    public TokenRecord {
        secretHash = secretHash.clone();
        scopes = List.copyOf(scopes);
        ipAllowlist = ipAllowlist == null ? IpAllowlist.ANYWHERE : ipAllowlist;
        audience = audience == null ? List.of() : List.copyOf(audience);
    }

    /**
     * An access token, read from its verified JWT: no row records it. Its id is its {@code jti}; it is
     * revoked when the revocation list says so ({@code revokedAt}).
     */
    public static TokenRecord accessToken(UUID jti, TokenHash hash, UUID accountId, String clientId, List<String> scopes,
            List<String> audience, Instant issuedAt, Instant expiresAt, UUID authorizationId) {
        return new TokenRecord(jti, TokenKind.ACCESS, accountId, clientId, hash.raw(), null, null, null, scopes, null,
                issuedAt, expiresAt, null, null, 0, IpAllowlist.ANYWHERE, null, null, authorizationId, audience, null);
    }

    /** The same token, revoked at {@code at} (a revocation-list entry covers it). */
    public TokenRecord revokedAt(Instant at) {
        return new TokenRecord(id, kind, accountId, clientId, secretHash, displayPrefix, preview, label, scopes, environment,
                createdAt, expiresAt, at, lastUsedAt, usageCount, ipAllowlist, replaces, rateLimitPolicy,
                authorizationId, audience, usedAt);
    }

    /** A single-use token (a code, a rotated refresh token) that was used up: presenting it again is a replay. */
    public boolean isUsed() {
        return usedAt != null;
    }

    /** Whether an access token is for {@code resource} (RFC 8707, RFC 9068 §4). */
    public boolean isFor(String resource) {
        return audience.contains(resource);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean isActiveAt(Instant now) {
        return !isRevoked() && !isExpiredAt(now);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    @Override
    public byte[] secretHash() {
        return secretHash.clone();
    }

    boolean hashEquals(byte[] other) {
        return java.security.MessageDigest.isEqual(secretHash, other);
    }

    @Override
    public String toString() {
        // Never print the hash: it is as good as the key for a lookup.
        return "TokenRecord[id=" + id + ", kind=" + kind + ", account=" + accountId + ", scopes=" + scopes
                + ", revoked=" + isRevoked() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenRecord other && id.equals(other.id) && Arrays.equals(secretHash, other.secretHash);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
