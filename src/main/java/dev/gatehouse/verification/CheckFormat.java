package dev.gatehouse.verification;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.token.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Step 2: is it shaped like something Gatehouse issued, before PostgreSQL is asked? An API key must pass
 * its checksum; a JWT its signature (unless this node already read it, which proves it is ours). A typo
 * or a guess costs no lookup. An access token is read here, from its claims: no row records it. Opaque secrets (refresh tokens) pass only where such kinds are accepted.
 */
@ApplicationScoped
class CheckFormat implements VerificationStep {
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    /** Kinds whose secrets prove nothing by their shape. */
    private static final Set<TokenKind> OPAQUE = EnumSet.of(TokenKind.REFRESH, TokenKind.SESSION, TokenKind.AUTHORIZATION_CODE);

    private final ApiKeyFormat format;
    private final AccessTokens accessTokens;

    CheckFormat(ApiKeyFormat format, AccessTokens accessTokens) {
        this.format = format;
        this.accessTokens = accessTokens;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        String presented = context.presented();
        if (format.check(presented).isPresent()) {
            context.shape = VerificationContext.Shape.API_KEY;
            return PASS;
        }
        if (JWT.matcher(presented).matches()) {
            var accessToken = accessTokens.read(presented, context.hash());
            if (accessToken.isPresent()) {
                context.shape = VerificationContext.Shape.ACCESS_TOKEN;
                context.accessToken = accessToken.get();
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
