package dev.gatehouse.verification;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Step 9: the scope this way in needs. */
@ApplicationScoped
class CheckScope implements VerificationStep {
    @Override
    public Optional<Verification> check(VerificationContext context) {
        String scope = context.policy().scope();
        if (scope == null || context.token().hasScope(scope)) {
            return PASS;
        }
        return Optional.of(new Verification(VerificationCode.INSUFFICIENT_SCOPE, context.token(),
                "This credential lacks the scope " + scope + " that this endpoint requires", scope));
    }
}
