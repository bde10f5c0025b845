package dev.gatehouse.gateway;

import dev.gatehouse.verification.MeteringCheck;
import dev.gatehouse.verification.Quota;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stands in for the metering that issue 8's other part builds, in {@link GatewayProfile} only (elsewhere it
 * does nothing): every metered use gets X-RateLimit-* and X-Credits-* headers and a rate-limit standing,
 * and a key labelled {@code metering:429} or {@code metering:402} is refused as the real checks will refuse.
 * It shows that forward-auth, the verify API and the nginx example carry what metering adds, whatever it is.
 */
@ApplicationScoped
public class FakeMetering implements MeteringCheck {
    static final long LIMIT = 100;
    static final long BALANCE = 1000;

    @ConfigProperty(name = "test.fake-metering", defaultValue = "false")
    boolean enabled;

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public Optional<Verification> check(VerificationContext context) {
        if (!enabled) {
            return PASS;
        }
        long reset = context.now().getEpochSecond() + 60;
        context.respondWith("X-RateLimit-Limit", Long.toString(LIMIT));
        context.respondWith("X-RateLimit-Remaining", Long.toString(LIMIT - 1));
        context.respondWith("X-RateLimit-Reset", Long.toString(reset));
        context.rateLimit(new Quota(LIMIT, LIMIT - 1, reset));
        String label = context.token().label();
        if ("metering:429".equals(label)) {
            return Optional.of(Verification.refused(VerificationCode.RATE_LIMITED, context, "Rate limit exceeded",
                    context.now().plusSeconds(30)));
        }
        if ("metering:402".equals(label)) {
            return Optional.of(Verification.refused(VerificationCode.INSUFFICIENT_CREDITS, context,
                    "Insufficient credits for this operation", null));
        }
        context.respondWith("X-Credits-Used", Long.toString(context.policy().cost()));
        context.respondWith("X-Credits-Remaining", Long.toString(BALANCE - context.policy().cost()));
        return PASS;
    }
}
