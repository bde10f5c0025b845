package dev.gatehouse.verification;

import com.nimbusds.jose.JOSEObjectType;
import dev.gatehouse.keys.JwtVerifier;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Step 2: is it shaped like something Gatehouse issued, before PostgreSQL is asked? An API key must pass
 * its checksum; a JWT its signature (unless this node already holds it, which proves it is ours). A typo
 * or a guess costs no lookup. Opaque secrets (refresh tokens) pass only where such kinds are accepted.
 */
@ApplicationScoped
class CheckFormat implements VerificationStep {
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    /** Kinds whose secrets prove nothing by their shape. */
    private static final Set<TokenKind> OPAQUE = EnumSet.of(TokenKind.REFRESH, TokenKind.SESSION, TokenKind.AUTHORIZATION_CODE);

    private final ApiKeyFormat format;
    private final JwtVerifier jwts;
    private final TokenStore store;
    private final Resources resources;

    CheckFormat(ApiKeyFormat format, JwtVerifier jwts, TokenStore store, Resources resources) {
        this.format = format;
        this.jwts = jwts;
        this.store = store;
        this.resources = resources;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        String presented = context.presented();
        if (format.check(presented).isPresent()) {
            context.shape = VerificationContext.Shape.API_KEY;
            return PASS;
        }
        if (JWT.matcher(presented).matches()) {
            // The audience is checked after the lookup (CheckAudience), for cached tokens too.
            if (store.peek(context.hash()).isPresent()
                    || jwts.verify(presented, ACCESS_TOKEN, resources.issuer(), null).isPresent()) {
                context.shape = VerificationContext.Shape.ACCESS_TOKEN;
                return PASS;
            }
            return malformed();
        }
        if (context.policy().kinds().stream().anyMatch(OPAQUE::contains)) {
            context.shape = VerificationContext.Shape.OPAQUE;
            return PASS;
        }
        return malformed();
    }

    private static Optional<Verification> malformed() {
        return Optional.of(Verification.refused(VerificationCode.MALFORMED, "The credential is malformed"));
    }
}
