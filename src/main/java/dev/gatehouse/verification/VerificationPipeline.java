package dev.gatehouse.verification;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything checked when a credential is used, as one ordered list of named steps. Every way in runs
 * it: the APIs Gatehouse protects ({@code /v1/me}, userinfo), the management endpoints, and introspection
 * (with the policy that leaves out what does not apply). The first step to refuse decides the outcome.
 */
@ApplicationScoped
public class VerificationPipeline {
    private final List<VerificationStep> steps;
    private final Clock clock;

    VerificationPipeline(ReadCredential readCredential, CheckFormat checkFormat, LookUp lookUp, CheckLive checkLive,
            CheckKind checkKind, CheckAudience checkAudience, CheckClient checkClient, CheckIpAllowlist checkIpAllowlist,
            CheckScope checkScope, Instance<MeteringCheck> metering, RecordUse recordUse, Clock clock) {
        List<VerificationStep> ordered = new ArrayList<>(List.of(readCredential, checkFormat, lookUp, checkLive,
                checkKind, checkAudience, checkClient, checkIpAllowlist, checkScope));
        // The metering slot: rate limit, quota, credits, each a bean of its own.
        metering.stream().sorted(Comparator.comparingInt(MeteringCheck::order))
                .map(check -> (VerificationStep) context -> context.policy().metered() ? check.check(context) : VerificationStep.PASS)
                .forEach(ordered::add);
        ordered.add(recordUse);
        this.steps = List.copyOf(ordered);
        this.clock = clock;
    }

    /** Checks the credential a request carries. */
    public Verification verify(RequestFacts request, VerificationPolicy policy) {
        return run(new VerificationContext(request, null, policy, clock.instant()));
    }

    /** Checks a credential handed over directly (introspection): no request is being made with it. */
    public Verification verify(String presented, VerificationPolicy policy) {
        return run(new VerificationContext(null, presented, policy, clock.instant()));
    }

    private Verification run(VerificationContext context) {
        for (VerificationStep step : steps) {
            Optional<Verification> refused = step.check(context);
            if (refused.isPresent()) {
                return refused.get().withMetering(context);
            }
        }
        return Verification.valid(context.token()).withMetering(context);
    }
}
