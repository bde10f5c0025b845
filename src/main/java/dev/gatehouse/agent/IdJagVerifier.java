package dev.gatehouse.agent;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.state.HotState;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks JWTs from trusted agent providers: identity assertions (ID-JAG, draft-03 and auth.md §1.7) and
 * their logout tokens, in named steps: type, trusted issuer, signature against the provider's JWKS,
 * audience equal to our issuer, expiry and issue time, single use of {@code jti}, the client the assertion
 * names, and the types of the claims read. Each failure
 * carries auth.md's consumer-guide code (specs.md §1.2); the token endpoint maps them to {@code invalid_grant}.
 */
@ApplicationScoped
public class IdJagVerifier {
    public static final JOSEObjectType ID_JAG = new JOSEObjectType("oauth-id-jag+jwt");
    public static final JOSEObjectType LOGOUT = new JOSEObjectType("logout+jwt");
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

    private final Map<String, JWKSource<SecurityContext>> trusted = new HashMap<>();
    private final String issuer;
    private final HotState state;
    private final Duration skew;
    private final java.time.Clock clock;
    /** Per trusted issuer, the client_ids its assertions may name: the issuer itself, and those configured. */
    private final Map<String, Set<String>> clientIds = new HashMap<>();
    /**
     * The longest a provider's JWT may be valid ahead of now. Its jti is remembered until it expires, so an
     * unbounded exp would be a replay cache without end; auth.md's providers issue five minutes.
     */
    static final Duration LONGEST_LIFETIME = Duration.ofHours(1);

    IdJagVerifier(AgentConfig config, Resources resources, HotState state, java.time.Clock clock) {
        this.issuer = resources.issuer();
        this.state = state;
        this.clock = clock;
        this.skew = config.clockSkew();
        config.providers().forEach((name, provider) -> {
            Set<String> allowed = new java.util.HashSet<>(provider.clientIds().orElse(List.of()));
            allowed.add(provider.issuer());
            clientIds.put(provider.issuer(), Set.copyOf(allowed));
            String jwks = provider.jwksUri().orElse(provider.issuer().replaceAll("/$", "") + "/.well-known/jwks.json");
            try {
                // Cached, and refetched once when an unknown kid shows up (key rotation at the provider).
                trusted.put(provider.issuer(), JWKSourceBuilder.create(URI.create(jwks).toURL()).retrying(true).build());
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("gatehouse.agent.providers." + name + ": bad JWKS URL " + jwks, e);
            }
        });
    }

    /** Whether any provider is trusted: without one, assertions are not enabled. */
    public boolean enabled() {
        return !trusted.isEmpty();
    }

    /** What a verified assertion says. */
    public record Assertion(String issuer, String subject, String clientId, String email, boolean emailVerified,
            List<String> scopes, JWTClaimsSet claims) {
    }

    public Assertion verify(String jwt, JOSEObjectType type) {
        SignedJWT token = parse(jwt);
        checkType(token, type);
        JWTClaimsSet claims = claims(token);
        JWKSource<SecurityContext> keys = checkIssuer(claims);
        checkSignature(token, keys);
        checkAudience(claims);
        checkTimes(claims);
        checkNotReplayed(claims);
        checkClaimTypes(claims);
        String scope = stringClaim(claims, "scope");
        return new Assertion(claims.getIssuer(), claims.getSubject(), stringClaim(claims, "client_id"),
                stringClaim(claims, "email"), Boolean.TRUE.equals(claims.getClaim("email_verified")),
                scope == null ? List.of() : dev.gatehouse.scope.ScopeCatalogue.parse(scope), claims);
    }

    /** The claims read as strings are strings, and email_verified a boolean: anything else is a bad token, not a 500. */
    private static void checkClaimTypes(JWTClaimsSet claims) {
        for (String name : List.of("sub", "client_id", "email", "scope")) {
            Object value = claims.getClaim(name);
            if (value != null && !(value instanceof String)) {
                throw new AgentError(400, "invalid_request", "The claim " + name + " must be a string");
            }
        }
        Object verified = claims.getClaim("email_verified");
        if (verified != null && !(verified instanceof Boolean)) {
            throw new AgentError(400, "invalid_request", "The claim email_verified must be a boolean");
        }
    }

    /**
     * At {@code /agent/auth} (specs.md §1.6), an assertion's {@code client_id} resolves to its provider: the
     * issuer, or a client id configured for it ({@code gatehouse.agent.providers.<name>.client-ids}). An
     * assertion minted for some other client is refused. (At the token endpoint it must name the
     * authenticated client instead: that is the jwt-bearer grant's check.)
     */
    public void requireProviderClient(Assertion assertion) {
        String clientId = assertion.clientId();
        if (clientId == null || !clientIds.getOrDefault(assertion.issuer(), Set.of()).contains(clientId)) {
            throw new AgentError(400, "invalid_client_id", "client_id must name this provider's client");
        }
    }

    private static SignedJWT parse(String jwt) {
        try {
            return SignedJWT.parse(jwt);
        } catch (ParseException | NullPointerException e) {
            throw new AgentError(400, "invalid_request", "The assertion is not a signed JWT");
        }
    }

    private static void checkType(SignedJWT token, JOSEObjectType type) {
        if (!type.equals(token.getHeader().getType())) {
            throw new AgentError(400, "invalid_request", "The JWT's typ must be " + type);
        }
    }

    private static JWTClaimsSet claims(SignedJWT token) {
        try {
            return token.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AgentError(400, "invalid_request", "The JWT's claims cannot be read");
        }
    }

    private JWKSource<SecurityContext> checkIssuer(JWTClaimsSet claims) {
        JWKSource<SecurityContext> keys = claims.getIssuer() == null ? null : trusted.get(claims.getIssuer());
        if (keys == null) {
            throw new AgentError(400, "invalid_issuer", "The issuer is not a trusted agent provider");
        }
        return keys;
    }

    private static void checkSignature(SignedJWT token, JWKSource<SecurityContext> keys) {
        try {
            if (!ALGORITHMS.contains(token.getHeader().getAlgorithm())) {
                throw new AgentError(400, "invalid_signature", "Signed with an algorithm this service does not accept");
            }
            List<JWK> candidates = keys.get(new JWKSelector(JWKMatcher.forJWSHeader(token.getHeader())), null);
            for (JWK candidate : candidates) {
                Key key = candidate.getKeyType().getValue().equals("EC") ? candidate.toECKey().toPublicKey() : candidate.toRSAKey().toPublicKey();
                JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(token.getHeader(), key);
                if (token.verify(verifier)) {
                    return;
                }
            }
        } catch (JOSEException e) {
            throw new AgentError(400, "invalid_signature", "The provider's keys could not be used: " + e.getClass().getSimpleName());
        }
        throw new AgentError(400, "invalid_signature", "The signature does not verify with the provider's keys");
    }

    /** draft-03 §2.4: our issuer, as a string or a one-element array. */
    private void checkAudience(JWTClaimsSet claims) {
        List<String> audience = claims.getAudience();
        if (audience.size() != 1 || !issuer.equals(audience.getFirst())) {
            throw new AgentError(400, "invalid_audience", "The audience must be " + issuer);
        }
    }

    /** Both kinds need exp (a logout token without one could be replayed once its jti is forgotten), not too far ahead. */
    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new AgentError(400, "invalid_request", "exp is required");
        }
        if (!now.isBefore(expires.toInstant())) {
            throw new AgentError(400, "expired", "The assertion expired");
        }
        if (expires.toInstant().isAfter(now.plus(LONGEST_LIFETIME).plus(skew))) {
            throw new AgentError(400, "invalid_request", "exp is more than " + LONGEST_LIFETIME.toMinutes() + " minutes ahead");
        }
        Date issued = claims.getIssueTime();
        if (issued == null || issued.toInstant().isAfter(now.plus(skew))) {
            throw new AgentError(400, "invalid_request", "iat is missing or in the future");
        }
    }

    /** Each jti once per issuer, remembered for as long as the token is accepted: until its exp, plus the skew. */
    private void checkNotReplayed(JWTClaimsSet claims) {
        String jti = claims.getJWTID();
        if (jti == null) {
            throw new AgentError(400, "invalid_request", "jti is required");
        }
        Duration remember = Duration.between(clock.instant(), claims.getExpirationTime().toInstant()).plus(skew);
        if (state.count("jti:" + claims.getIssuer() + ":" + jti, remember).count() > 1) {
            throw new AgentError(400, "replay_detected", "This jti was already used");
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text ? text : null;
    }
}
