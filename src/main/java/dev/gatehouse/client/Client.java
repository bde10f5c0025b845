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
        Instant updatedAt,
        String idTokenSignedResponseAlg) {

    public static final String NONE = "none";

    /**
     * Whether nobody vetted this client: it registered itself (RFC 7591) or is described by its own
     * metadata document (CIMD), so its redirect URIs may point anywhere.
     */
    public boolean registeredItself() {
        return "registered".equals(origin) || "metadata_document".equals(origin);
    }
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
                firstParty, skipConsent, origin, metadata, createdAt, null, TokenLifetimes.DEPLOYMENT, null, null);
    }

    /** A new client from checked metadata: not first-party, no rotated secret. */
    public static Client of(String clientId, ClientMetadata metadata, byte[] secretHash, String origin, Instant now) {
        return new Client(clientId, metadata.name(), secretHash, metadata.authMethod(), metadata.redirectUris(), metadata.grantTypes(),
                metadata.scopes(), false, metadata.skipConsent(), origin, metadata.echoed(), now, null, metadata.lifetimes(), now,
                metadata.idTokenSignedResponseAlg());
    }

    /** This client with new metadata; its id, secret, kind, origin and creation stay. */
    public Client with(ClientMetadata metadata, Instant now) {
        return new Client(clientId, metadata.name(), secretHash, metadata.authMethod(), metadata.redirectUris(), metadata.grantTypes(),
                metadata.scopes(), firstParty, metadata.skipConsent(), origin, metadata.echoed(), createdAt, previousSecret,
                metadata.lifetimes(), now, metadata.idTokenSignedResponseAlg());
    }

    /** This client with a new secret (its hash); {@code previous}, if any, keeps working until it ends. */
    public Client withSecret(byte[] newSecretHash, RetiredSecret previous, Instant now) {
        return new Client(clientId, clientName, newSecretHash, tokenEndpointAuthMethod, redirectUris, grantTypes, scopes, firstParty,
                skipConsent, origin, metadata, createdAt, previous, lifetimes, now, idTokenSignedResponseAlg);
    }

    public Client {
        secretHash = secretHash == null ? null : secretHash.clone();
        lifetimes = lifetimes == null ? TokenLifetimes.DEPLOYMENT : lifetimes;
        redirectUris = List.copyOf(redirectUris);
        grantTypes = List.copyOf(grantTypes);
        scopes = List.copyOf(scopes);
        metadata = Map.copyOf(metadata);
    }

    /** The algorithm its ID tokens are signed with: what it registered, else RS256 (OIDC Dynamic Registration §2). */
    public String idTokenAlgorithm() {
        return idTokenSignedResponseAlg == null ? "RS256" : idTokenSignedResponseAlg;
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
