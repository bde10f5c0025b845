package dev.gatehouse.verification;

import dev.gatehouse.token.TokenRecord;
import java.time.Instant;
import java.util.Map;

/**
 * The outcome of the pipeline: {@code VALID} with the token, or the first check that refused, with a
 * message a caller may read (never the credential itself) and, for scope refusals, the scope wanted.
 * {@code headers} are what the caller's client should see either way (rate limits, credits), in the
 * order the checks added them; {@code retryAt} is when a refused caller may try again, if that is known
 * (for a spent balance: when the allowance resets); {@code rateLimit} and {@code credits} are the metering
 * checks' figures.
 */
public record Verification(VerificationCode code, TokenRecord token, String message, String scope,
        Map<String, String> headers, Instant retryAt, Quota rateLimit, CreditCharge credits) {

    public Verification {
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    Verification(VerificationCode code, TokenRecord token, String message, String scope) {
        this(code, token, message, scope, Map.of(), null, null, null);
    }

    static Verification valid(TokenRecord token) {
        return new Verification(VerificationCode.VALID, token, null, null);
    }

    static Verification refused(VerificationCode code, String message) {
        return new Verification(code, null, message, null);
    }

    static Verification refused(VerificationCode code, TokenRecord token, String message) {
        return new Verification(code, token, message, null);
    }

    /** A metering refusal: the headers gathered so far and when to come back go with it. */
    public static Verification refused(VerificationCode code, VerificationContext context, String message, Instant retryAt) {
        return new Verification(code, context.token(), message, null, context.headers(), retryAt, context.rateLimit(),
                context.credits());
    }

    /** The same outcome, with what the metering checks gathered (headers, the rate limit's standing, the charge). */
    Verification withMetering(VerificationContext context) {
        return context.headers().isEmpty() && context.rateLimit() == null && context.credits() == null ? this
                : new Verification(code, token, message, scope, context.headers(), retryAt, context.rateLimit(),
                        context.credits());
    }

    public boolean isValid() {
        return code == VerificationCode.VALID;
    }
}
