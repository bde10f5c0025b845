package dev.gatehouse.verification;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.keys.JwtVerifier;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Access tokens as the pipeline sees them: a JWT of ours, read into a {@link TokenRecord} once its
 * signature, type and issuer are checked, and kept per node until it expires. A JWT seen before costs a
 * map read, not a signature check; whether it was revoked is asked of the revocation list at every use
 * ({@code LookUp}), never cached here.
 */
@ApplicationScoped
class AccessTokens {
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    /** The claim naming the token's authorization (oauth.TokenIssuer writes it). */
    private static final String AUTHORIZATION = "authorization_id";

    private final JwtVerifier jwts;
    private final Resources resources;
    /** Keyed by the JWT's hash: the token itself is never kept. */
    private final Cache<ByteBuffer, TokenRecord> verified;

    AccessTokens(JwtVerifier jwts, Resources resources, Clock clock, dev.gatehouse.token.TokenStoreConfig cache) {
        this.jwts = jwts;
        this.resources = resources;
        // Kept until the token expires (the pipeline checks expiry itself at every use, by the same clock).
        this.verified = Caffeine.newBuilder()
                .maximumSize(cache.maxEntries())
                .expireAfter(Expiry.<ByteBuffer, TokenRecord>creating((hash, token) ->
                        Duration.between(clock.instant(), token.expiresAt()).plusSeconds(1)))
                .build();
    }

    /** The token {@code presented} (hashing to {@code hash}) if it is a well-signed access token of ours. */
    Optional<TokenRecord> read(String presented, TokenHash hash) {
        ByteBuffer key = ByteBuffer.wrap(hash.bytes());
        TokenRecord known = verified.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        // The audience is checked after the lookup (CheckAudience); expiry at every use (CheckLive).
        Optional<TokenRecord> read = jwts.verify(presented, ACCESS_TOKEN, resources.issuer(), null)
                .flatMap(claims -> record(claims, hash));
        read.ifPresent(token -> verified.put(key, token));
        return read;
    }

    private static Optional<TokenRecord> record(JWTClaimsSet claims, TokenHash hash) {
        try {
            String clientId = claims.getStringClaim("client_id");
            String subject = claims.getSubject();
            String scope = claims.getStringClaim("scope");
            String authorization = claims.getStringClaim(AUTHORIZATION);
            // A person's access token is always issued under an authorization, and its subject is the account;
            // a client acting for itself has none, and is its own subject (RFC 9068 §2.2).
            UUID account = authorization != null ? UUID.fromString(subject) : null;
            if (account == null && !subject.equals(clientId)) {
                return Optional.empty();
            }
            return Optional.of(TokenRecord.accessToken(UUID.fromString(claims.getJWTID()), hash, account, clientId,
                    scope == null || scope.isBlank() ? List.of() : List.of(scope.split(" ")), claims.getAudience(),
                    claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant(),
                    authorization == null ? null : UUID.fromString(authorization)));
        } catch (ParseException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty(); // signed by us, yet not shaped like our access tokens: not one
        }
    }
}
