package dev.gatehouse.verification;

import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Last step: count the use (last used, use count), in memory; written in batches, never per request. */
@ApplicationScoped
class RecordUse implements VerificationStep {
    private final TokenStore store;

    RecordUse(TokenStore store) {
        this.store = store;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        if (context.policy().metered()) {
            store.recordUse(context.token());
        }
        return PASS;
    }
}
