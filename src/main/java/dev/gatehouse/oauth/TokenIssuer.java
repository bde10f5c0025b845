package dev.gatehouse.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.client.Client;
import dev.gatehouse.keys.JwtSigner;
import dev.gatehouse.keys.SigningAlgorithm;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints what grants hand out. Access tokens are RFC 9068 JWTs that any service verifies from the JWKS;
 * each is also recorded in the token store under its grant, so revoking the grant shows in
 * introspection and at Gatehouse's own APIs at once. Refresh tokens are opaque and rotate.
 */
@ApplicationScoped
public class TokenIssuer {
    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    /** Metadata key naming the grant every token of one authorization belongs to. */
    public static final String GRANT = "grant";
    static final String GRANT_EXPIRES = "grant_expires";

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

    /** What a grant decided: who, for which client, which scopes and resources, under which grant id. */
    public record Grant(Client client, UUID accountId, String subject, List<String> scopes, List<String> audience,
            String grantId, Instant grantExpires, Instant authTime, String nonce) {
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
        Instant expires = now.plus(accessLifetime(grant.client()));
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(resources.issuer())
                .subject(grant.subject())
                .audience(grant.audience())
                .expirationTime(Date.from(expires))
                .issueTime(Date.from(now))
                .jwtID(jti)
                .claim("client_id", grant.client().clientId())
                .claim("scope", String.join(" ", grant.scopes()))
                .build();
        String jwt = signer.sign(ACCESS_TOKEN_TYPE, claims);
        store.issue(jwt, NewToken.of(TokenKind.ACCESS, grant.accountId())
                .withClient(grant.client().clientId())
                .withScopes(grant.scopes())
                .expiringAt(expires)
                .withMetadata(grantMetadata(grant, Map.of("jti", jti, "aud", String.join(" ", grant.audience())))));
        return jwt;
    }

    private String refreshToken(Grant grant, List<String> scopes) {
        String secret = secrets.opaque();
        Instant inactive = store.now().plus(config.refreshTokenInactivity());
        Instant expires = inactive.isBefore(grant.grantExpires()) ? inactive : grant.grantExpires();
        store.issue(secret, NewToken.of(TokenKind.REFRESH, grant.accountId())
                .withClient(grant.client().clientId())
                .withScopes(scopes)
                .expiringAt(expires)
                .withMetadata(grantMetadata(grant, Map.of(
                        GRANT_EXPIRES, grant.grantExpires().toString(),
                        "aud", String.join(" ", grant.audience()),
                        "auth_time", String.valueOf(grant.authTime() == null ? "" : grant.authTime().getEpochSecond())))));
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

    /** When a new grant of {@code client} ends: no refresh token outlives it. */
    public Instant grantExpiry(Client client) {
        return store.now().plus(client.lifetimes().refreshToken(config.refreshTokenLifetime()));
    }

    /** The client's own access-token lifetime (an operator's choice, never longer), else the deployment's. */
    private Duration accessLifetime(Client client) {
        return client.lifetimes().accessToken(config.accessTokenLifetime());
    }

    private static Map<String, String> grantMetadata(Grant grant, Map<String, String> more) {
        Map<String, String> metadata = new HashMap<>(more);
        metadata.put(GRANT, grant.grantId());
        return metadata;
    }
}
