package dev.gatehouse.client;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An OAuth client as the protocol code sees it. The secret is only ever a hash; after a rotation the
 * previous one keeps working until its grace period ends.
 */
public record Client(
        String clientId,
        String clientName,
        byte[] secretHash,
        String tokenEndpointAuthMethod,
        List<String> redirectUris,
        List<String> grantTypes,
        List<String> scopes,
        boolean firstParty,
        boolean skipConsent,
        String origin,
        Map<String, String> metadata,
        Instant createdAt,
        RetiredSecret previousSecret,
        TokenLifetimes lifetimes,
        Instant updatedAt) {

    public static final String NONE = "none";
    public static final String SECRET_BASIC = "client_secret_basic";
    public static final String SECRET_POST = "client_secret_post";

    /** A secret replaced by a rotation, accepted until {@code until}. */
    public record RetiredSecret(byte[] hash, Instant until) {
        public RetiredSecret {
            hash = hash.clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }
    }

    /** The client's own token lifetimes; null: the deployment's. Never longer than the deployment's. */
    public record TokenLifetimes(Duration accessToken, Duration refreshToken) {
        public static final TokenLifetimes DEPLOYMENT = new TokenLifetimes(null, null);

        public Duration accessToken(Duration deployment) {
            return accessToken == null ? deployment : accessToken;
        }

        public Duration refreshToken(Duration deployment) {
            return refreshToken == null ? deployment : refreshToken;
        }
    }

    /** A client as first stored: no rotated secret, the deployment's lifetimes. */
    public static Client of(String clientId, String clientName, byte[] secretHash, String tokenEndpointAuthMethod,
            List<String> redirectUris, List<String> grantTypes, List<String> scopes, boolean firstParty, boolean skipConsent,
            String origin, Map<String, String> metadata, Instant createdAt) {
        return new Client(clientId, clientName, secretHash, tokenEndpointAuthMethod, redirectUris, grantTypes, scopes,
                firstParty, skipConsent, origin, metadata, createdAt, null, TokenLifetimes.DEPLOYMENT, null);
    }

    public Client {
        secretHash = secretHash == null ? null : secretHash.clone();
        lifetimes = lifetimes == null ? TokenLifetimes.DEPLOYMENT : lifetimes;
        redirectUris = List.copyOf(redirectUris);
        grantTypes = List.copyOf(grantTypes);
        scopes = List.copyOf(scopes);
        metadata = Map.copyOf(metadata);
    }

    public boolean isPublic() {
        return secretHash == null;
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public boolean allowsScope(String scope) {
        return scopes.contains(scope);
    }

    /** The current secret, or the previous one within its grace period; compared in constant time. */
    boolean secretMatches(byte[] presentedHash, Instant now) {
        boolean current = secretHash != null && MessageDigest.isEqual(secretHash, presentedHash);
        boolean previous = previousSecret != null && now.isBefore(previousSecret.until())
                && MessageDigest.isEqual(previousSecret.hash, presentedHash);
        return current | previous;
    }

    @Override
    public byte[] secretHash() {
        return secretHash == null ? null : secretHash.clone();
    }

    @Override
    public String toString() {
        return "Client[" + clientId + "]";
    }
}
