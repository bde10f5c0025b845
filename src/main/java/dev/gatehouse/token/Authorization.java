package dev.gatehouse.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One authorization: a person's consent to a client, and everything the tokens issued under it share
 * (as Spring Authorization Server's {@code OAuth2Authorization}). Its code and refresh tokens are rows of
 * the token store that name it; its access tokens are JWTs that name it. Revoking it revokes them all.
 *
 * @param code      what the token request must repeat, for an authorization from a code; else null
 * @param authTime  when the person signed in, for the ID token; null when not known
 * @param expiresAt absolute: no refresh token outlives it
 */
public record Authorization(UUID id, String clientId, UUID accountId, GrantType grantType, List<String> scopes,
        List<String> audience, CodeBinding code, Instant authTime, Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public Authorization {
        scopes = List.copyOf(scopes);
        audience = List.copyOf(audience);
    }

    /** How the authorization was given. Stored as the grant type's name. */
    public enum GrantType implements ColumnValue {
        AUTHORIZATION_CODE("authorization_code"),
        JWT_BEARER("jwt_bearer");

        private final String column;

        GrantType(String column) {
            this.column = column;
        }

        @Override
        public String column() {
            return column;
        }
    }

    /**
     * What an authorization request bound its code to (RFC 6749 §4.1.3, RFC 7636 §4.6, OpenID Connect's
     * nonce).
     *
     * @param redirectUriGiven the request named its redirect URI, so the token request must repeat it
     */
    public record CodeBinding(String redirectUri, boolean redirectUriGiven, String codeChallenge, String nonce) {
    }

    /** A new authorization, not yet stored. */
    public static Authorization open(String clientId, UUID accountId, GrantType grantType, List<String> scopes,
            List<String> audience, CodeBinding code, Instant authTime, Instant now, Instant expiresAt) {
        return new Authorization(UUID.randomUUID(), clientId, accountId, grantType, scopes, audience, code, authTime, now,
                expiresAt, null);
    }
}
