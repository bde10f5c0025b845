package dev.gatehouse.verification;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Step 4: neither revoked nor expired, at the injected clock's now. */
@ApplicationScoped
class CheckLive implements VerificationStep {
    @Override
    public Optional<Verification> check(VerificationContext context) {
        var token = context.token();
        if (token.isRevoked()) {
            return Optional.of(Verification.refused(VerificationCode.REVOKED, token, "This credential was revoked"));
        }
        if (token.isExpiredAt(context.now())) {
            return Optional.of(Verification.refused(VerificationCode.EXPIRED, token, "This credential has expired"));
        }
        return PASS;
    }
}
