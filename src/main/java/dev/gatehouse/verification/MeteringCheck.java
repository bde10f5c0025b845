package dev.gatehouse.verification;

/**
 * The slot where metering plugs into the pipeline: rate limits, quotas and credits run after the scope
 * check and before the use is recorded, for metered policies only. Each implementation is a bean; they
 * run in {@link #order()}.
 */
public interface MeteringCheck extends VerificationStep {
    int order();
}
