package dev.gatehouse.verification;

import dev.gatehouse.token.TokenStore;
import inet.ipaddr.IPAddress;
import dev.gatehouse.token.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Last step: count the use (last used, use count, uses per hour, the address it came from), in memory;
 * written in batches, never per request.
 */
@ApplicationScoped
class RecordUse implements VerificationStep {
    private final TokenStore store;

    RecordUse(TokenStore store) {
        this.store = store;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        // Access tokens are JWTs with no row to count in; their use shows in the metrics, per endpoint.
        if (context.policy().metered() && context.token().kind() != TokenKind.ACCESS) {
            // Introspection has no request, and a request may have no known address: the use still counts.
            IPAddress address = context.request() == null ? null : context.request().clientAddress();
            // The address was parsed once by ClientAddresses; its canonical text is cached by the address itself.
            store.recordUse(context.token(), address == null ? null : address.toCanonicalString());
        }
        return PASS;
    }
}
