package dev.gatehouse.guard;

import dev.gatehouse.verification.Verification;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The one place where a refused verification becomes HTTP: status, seed 002's JSON body and RFC 6750's
 * {@code WWW-Authenticate} challenge (which names the protected-resource metadata, RFC 9728 §5). 401s say
 * no more than seed 002's "Missing or invalid API key": whether a key exists, expired or was revoked is
 * its owner's business, not the caller's.
 */
@ApplicationScoped
public class Refusals {
    static final String INVALID_MESSAGE = "Missing or invalid API key";
    /** How long to wait before asking again when PostgreSQL could not answer. */
    private static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(2);

    private final BearerChallenge challenge;
    private final java.time.Clock clock;

    Refusals(BearerChallenge challenge, java.time.Clock clock) {
        this.challenge = challenge;
        this.clock = clock;
    }

    public ApiProblem problem(Verification refused) {
        ApiProblem problem = status(refused);
        refused.headers().forEach(problem::header);
        return problem;
    }

    private ApiProblem status(Verification refused) {
        return switch (refused.code()) {
            case VALID -> throw new IllegalArgumentException("a valid verification is not a refusal");
            case MISSING -> new ApiProblem(401, INVALID_MESSAGE).header("WWW-Authenticate", challenge.missing());
            case IN_QUERY -> ApiProblem.badRequest(refused.message())
                    .header("WWW-Authenticate", challenge.invalidRequest("credentials in the URL query are refused"));
            case CONFLICTING -> ApiProblem.badRequest(refused.message())
                    .header("WWW-Authenticate", challenge.invalidRequest("more than one credential"));
            case WRONG_HEADER -> new ApiProblem(401, refused.message()).header("WWW-Authenticate", challenge.invalidToken());
            case MALFORMED, NOT_FOUND, EXPIRED, REVOKED ->
                    new ApiProblem(401, INVALID_MESSAGE).header("WWW-Authenticate", challenge.invalidToken());
            case KIND_NOT_ALLOWED, IP_NOT_ALLOWED -> ApiProblem.forbidden(refused.message());
            case CLIENT_NOT_ALLOWED, INSUFFICIENT_SCOPE -> ApiProblem.forbidden(refused.message())
                    .header("WWW-Authenticate", challenge.insufficientScope(refused.scope()));
            case RATE_LIMITED -> ApiProblem.rateLimited(
                    refused.retryAt() != null ? refused.retryAt() : clock.instant().plusSeconds(1), clock.instant());
            case QUOTA_EXCEEDED, INSUFFICIENT_CREDITS -> new ApiProblem(402, refused.message());
            case UNAVAILABLE -> ApiProblem.serviceUnavailable(refused.message(), UNAVAILABLE_RETRY);
        };
    }
}
