package dev.gatehouse.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.client.Client;
import dev.gatehouse.keys.JwtSigner;
import dev.gatehouse.keys.SigningAlgorithm;
import dev.gatehouse.token.Authorization;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints what grants hand out. Access tokens are RFC 9068 JWTs that any service verifies from the JWKS and
 * that no row records: each names its authorization (claim {@value #AUTHORIZATION_CLAIM}), and revoking
 * that, the client, the account or the token's own {@code jti} puts it on the revocation list, which
 * introspection and Gatehouse's own APIs read on every node. Refresh tokens are opaque, stored under their
 * authorization, and rotate.
 */
@ApplicationScoped
public class TokenIssuer {
    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    /** The claim naming the authorization an access token was issued under (absent: a client acting for itself). */
    public static final String AUTHORIZATION_CLAIM = "authorization_id";

    private final TokenStore store;
    private final JwtSigner signer;
    private final SecretGenerator secrets;
    private final OAuthConfig config;
    private final Resources resources;

    TokenIssuer(TokenStore store, JwtSigner signer, SecretGenerator secrets, OAuthConfig config, Resources resources) {
        this.store = store;
        this.signer = signer;
        this.secrets = secrets;
        this.config = config;
        this.resources = resources;
    }

    /**
     * What a grant decided: who, for which client, which scopes and resources, under which authorization
     * (null for a client acting for itself: nothing is stored for it).
     */
    public record Grant(Client client, UUID accountId, String subject, List<String> scopes, List<String> audience,
            Authorization authorization, Instant authTime, String nonce) {

        /**
         * A person's grant under {@code authorization}, for {@code scopes} (the authorization's, or narrower)
         * and {@code audience}; {@code nonce} goes into the ID token (the code exchange's only).
         */
        public static Grant of(Client client, Authorization authorization, List<String> scopes, List<String> audience, String nonce) {
            return new Grant(client, authorization.accountId(), authorization.accountId().toString(), scopes, audience,
                    authorization, authorization.authTime(), nonce);
        }
    }

    public IssuedTokens issue(Grant grant, boolean withRefreshToken) {
        return issue(grant, withRefreshToken ? grant.scopes() : null);
    }

    /**
     * Like {@link #issue(Grant, boolean)}, with a refresh token for {@code refreshScopes}: a refresh that
     * narrows the access token's scope leaves the grant's own scope whole (RFC 6749 §6).
     */
    public IssuedTokens issue(Grant grant, List<String> refreshScopes) {
        String access = accessToken(grant);
        String refresh = refreshScopes != null ? refreshToken(grant, refreshScopes) : null;
        String id = grant.scopes().contains("openid") && grant.accountId() != null ? idToken(grant) : null;
        return new IssuedTokens(access, "Bearer", accessLifetime(grant.client()).toSeconds(), refresh, id, String.join(" ", grant.scopes()));
    }

    private String accessToken(Grant grant) {
        Instant now = store.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(resources.issuer())
                .subject(grant.subject())
                .audience(grant.audience())
                .expirationTime(Date.from(now.plus(accessLifetime(grant.client()))))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", grant.client().clientId())
                .claim("scope", String.join(" ", grant.scopes()));
        if (grant.authorization() != null) {
            claims.claim(AUTHORIZATION_CLAIM, grant.authorization().id().toString());
        }
        return signer.sign(ACCESS_TOKEN_TYPE, claims.build());
    }

    private String refreshToken(Grant grant, List<String> scopes) {
        String secret = secrets.opaque();
        Instant inactive = store.now().plus(config.refreshTokenInactivity());
        Instant absolute = grant.authorization().expiresAt();
        store.issue(secret, NewToken.of(TokenKind.REFRESH, grant.accountId())
                .withClient(grant.client().clientId())
                .withScopes(scopes)
                .expiringAt(inactive.isBefore(absolute) ? inactive : absolute)
                .underAuthorization(grant.authorization().id()));
        return secret;
    }

    private String idToken(Grant grant) {
        Instant now = store.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(resources.issuer())
                .subject(grant.subject())
                .audience(grant.client().clientId())
                .expirationTime(Date.from(now.plus(config.idTokenLifetime())))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("azp", grant.client().clientId());
        if (grant.authTime() != null) {
            claims.claim("auth_time", grant.authTime().getEpochSecond());
        }
        if (grant.nonce() != null) {
            claims.claim("nonce", grant.nonce());
        }
        // RS256 unless the client registered another (OIDC Dynamic Registration §2).
        return signer.sign(JOSEObjectType.JWT, claims.build(), SigningAlgorithm.valueOf(grant.client().idTokenAlgorithm()));
    }

    public Instant now() {
        return store.now();
    }

    /** When a new authorization for {@code client} ends: no refresh token outlives it. */
    public Instant authorizationExpiry(Client client) {
        return store.now().plus(client.lifetimes().refreshToken(config.refreshTokenLifetime()));
    }

    /** The client's own access-token lifetime (an operator's choice, never longer), else the deployment's. */
    private Duration accessLifetime(Client client) {
        return client.lifetimes().accessToken(config.accessTokenLifetime());
    }
}
