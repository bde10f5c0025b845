package dev.gatehouse.verification;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Step 5: a kind of credential this way in takes (no API key where a person must act, no session here). */
@ApplicationScoped
class CheckKind implements VerificationStep {
    @Override
    public Optional<Verification> check(VerificationContext context) {
        if (context.policy().kinds().contains(context.token().kind())) {
            return PASS;
        }
        return Optional.of(Verification.refused(VerificationCode.KIND_NOT_ALLOWED, context.token(), context.policy().kindRefusal()));
    }
}
