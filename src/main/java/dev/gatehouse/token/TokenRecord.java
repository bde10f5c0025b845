package dev.gatehouse.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
        Map<String, String> metadata,
        IpAllowlist ipAllowlist,
        UUID replaces,
        String rateLimitPolicy) {

    public TokenRecord {
        secretHash = secretHash.clone();
        scopes = List.copyOf(scopes);
        metadata = Map.copyOf(metadata);
        ipAllowlist = ipAllowlist == null ? IpAllowlist.ANYWHERE : ipAllowlist;
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
