package dev.gatehouse.verification;

import dev.gatehouse.token.TokenStore;
import dev.gatehouse.token.TokenStoreUnavailable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Step 3: the stored token, by hash, from this node's cache when it holds it; or, for an access token
 * (a JWT no row records), its claims judged against the revocation list, with no lookup at all.
 */
@ApplicationScoped
class LookUp implements VerificationStep {
    private final TokenStore store;

    LookUp(TokenStore store) {
        this.store = store;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        try {
            if (context.accessToken != null) {
                context.token = store.judgeAccessToken(context.accessToken);
                return PASS;
            }
            var found = store.find(context.hash());
            if (found.isEmpty()) {
                return Optional.of(Verification.refused(VerificationCode.NOT_FOUND, "No such credential"));
            }
            context.token = found.get();
            return PASS;
        } catch (TokenStoreUnavailable e) {
            return Optional.of(Verification.refused(VerificationCode.UNAVAILABLE, "Credentials cannot be checked right now"));
        }
    }
}
