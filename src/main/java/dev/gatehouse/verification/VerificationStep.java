package dev.gatehouse.verification;

import java.util.Optional;

/**
 * One named check of the pipeline, in the spirit of node-oidc-provider's {@code check_*} steps: it
 * refuses with a {@link Verification}, or lets the request go on to the next step.
 */
public interface VerificationStep {
    Optional<Verification> check(VerificationContext context);

    /** Lets a request go on. */
    Optional<Verification> PASS = Optional.empty();
}
