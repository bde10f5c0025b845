package dev.gatehouse.verification;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Step 8: the key's IP allowlist (seed 000), against the client address the trusted-proxy settings resolve. */
@ApplicationScoped
class CheckIpAllowlist implements VerificationStep {
    @Override
    public Optional<Verification> check(VerificationContext context) {
        var allowlist = context.token().ipAllowlist();
        if (allowlist.isAnywhere() || context.request() == null) {
            return PASS; // no ranges, or no request being made with the key (introspection)
        }
        var client = context.request().clientAddress();
        if (allowlist.permits(client)) {
            return PASS;
        }
        return Optional.of(Verification.refused(VerificationCode.IP_NOT_ALLOWED, context.token(),
                "This API key cannot be used from " + (client == null ? "an unknown address" : client.toCanonicalString())
                        + ": the address is not in its IP allowlist"));
    }
}
