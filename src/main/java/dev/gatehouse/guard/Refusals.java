package dev.gatehouse.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * The one place where a refused verification becomes HTTP: status, seed 002's JSON body and RFC 6750's
 * {@code WWW-Authenticate} challenge (which names the protected-resource metadata, RFC 9728 §5). 401s say
 * no more than seed 002's "Missing or invalid API key": whether a key exists, expired or was revoked is
 * its owner's business, not the caller's. Gateway refusals live here too: an unrouted request, a verify
 * API caller that may not ask, and the same refusals folded for nginx {@code auth_request}.
 */
@ApplicationScoped
public class Refusals {
    static final String INVALID_MESSAGE = "Missing or invalid API key";
    /** How long to wait before asking again when PostgreSQL could not answer. */
    private static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(2);

    /**
     * Forward-auth answers carrying these for nginx {@code auth_request}, which only passes 2xx, 401 and 403
     * on and drops the body: the real status and the seed body travel as headers (docs/gateway.md).
     */
    public static final String STATUS_HEADER = "X-Gatehouse-Status";
    public static final String BODY_HEADER = "X-Gatehouse-Body";
    /** Header values must stay ASCII: anything else in a message is escaped. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build());

    private final BearerChallenge challenge;
    private final java.time.Clock clock;

    Refusals(BearerChallenge challenge, java.time.Clock clock) {
        this.challenge = challenge;
        this.clock = clock;
    }

    /**
     * Forward-auth with {@code gatehouse.gateway.unmatched=deny}: the credential is fine, but no route
     * prices this request, so it is treated as an endpoint that does not exist rather than a free one.
     */
    public ApiProblem unrouted() {
        return ApiProblem.notFound("No API endpoint matches this request");
    }

    /** The verify API's caller did not authenticate as a client (HTTP Basic, RFC 6749 §2.3.1). */
    public ApiProblem callerUnauthenticated() {
        return new ApiProblem(401, "Authenticate as a client with HTTP Basic (client_id and client_secret)")
                .header("WWW-Authenticate", "Basic realm=\"gatehouse\", charset=\"UTF-8\"");
    }

    /** The verify API's caller is a client, but not one allowed to verify keys. */
    public ApiProblem callerLacks(String scope) {
        return ApiProblem.forbidden("This client lacks the scope " + scope + " that this endpoint requires");
    }

    /**
     * A refusal for nginx {@code auth_request}, which turns any status but 2xx, 401 and 403 into a 500 and
     * discards the body: 401 and 403 keep their status, the others (400, 402, 404, 429, 503) travel as 403;
     * {@link #STATUS_HEADER} names the real status and {@link #BODY_HEADER} carries the seed body, which the
     * example's error page answers with. The headers of the refusal (challenge, Retry-After, rate limits)
     * stay as they are.
     */
    public Response forAuthRequest(ApiProblem problem) {
        Response full = problem.toResponse();
        int status = problem.status() == 401 ? 401 : 403;
        Response.ResponseBuilder folded = Response.status(status).type("application/json").entity(full.getEntity())
                .header(STATUS_HEADER, Integer.toString(problem.status()))
                .header(BODY_HEADER, json(full.getEntity()));
        problem.headers().forEach(folded::header);
        return folded.build();
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("error bodies always serialise", e);
        }
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
            case KIND_NOT_ALLOWED, IP_NOT_ALLOWED, NOT_IN_PLAN -> ApiProblem.forbidden(refused.message());
            case CLIENT_NOT_ALLOWED, INSUFFICIENT_SCOPE -> ApiProblem.forbidden(refused.message())
                    .header("WWW-Authenticate", challenge.insufficientScope(refused.scope()));
            case RATE_LIMITED -> ApiProblem.rateLimited(
                    refused.retryAt() != null ? refused.retryAt() : clock.instant().plusSeconds(1), clock.instant());
            case QUOTA_EXCEEDED, INSUFFICIENT_CREDITS -> new ApiProblem(402, refused.message());
            case UNAVAILABLE -> ApiProblem.serviceUnavailable(refused.message(), UNAVAILABLE_RETRY);
        };
    }
}
