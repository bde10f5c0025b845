package dev.gatehouse.client;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An OAuth client as the protocol code sees it. The secret is only ever a hash. */
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
        Instant createdAt) {

    public static final String NONE = "none";
    public static final String SECRET_BASIC = "client_secret_basic";
    public static final String SECRET_POST = "client_secret_post";

    public Client {
        secretHash = secretHash == null ? null : secretHash.clone();
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

    boolean secretMatches(byte[] presentedHash) {
        return secretHash != null && MessageDigest.isEqual(secretHash, presentedHash);
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
