package dev.gatehouse.verification;

import dev.gatehouse.token.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Step 6: an access token issued for another resource (RFC 8707) is not valid here (RFC 9068 §4), even
 * when this node holds it in its cache.
 */
@ApplicationScoped
class CheckAudience implements VerificationStep {
    @Override
    public Optional<Verification> check(VerificationContext context) {
        String wanted = context.policy().audience();
        var token = context.token();
        if (wanted == null || token.kind() != TokenKind.ACCESS) {
            return PASS;
        }
        if (token.isFor(wanted)) {
            return PASS;
        }
        return Optional.of(Verification.refused(VerificationCode.NOT_FOUND, token, "This access token is for another resource"));
    }
}
