package dev.gatehouse.web;

import dev.gatehouse.outcome.Rejection;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request Gatehouse refuses, answered as seed 002's JSON body {@code {status, error, message}} (plus
 * {@code retryAfter} on 429). Thrown anywhere in request handling; {@link ErrorMappers} writes it.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Long retryAfterEpochSeconds;

    public ApiProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, message);
    }

    public static ApiProblem forbidden(String message) {
        return new ApiProblem(403, message);
    }

    /** 429 with {@code Retry-After} (seconds, never less than 1) and, in the body, {@code retryAfter} as epoch seconds. */
    private static ApiProblem tooManyRequests(String message, Duration retryAfter, java.time.Instant retryAt) {
        ApiProblem problem = new ApiProblem(429, message);
        problem.header("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        problem.retryAfterEpochSeconds = (retryAt.toEpochMilli() + 999) / 1000;
        return problem;
    }

    /**
     * Seed 002's 429: {@code "Rate limit exceeded. Retry after <epoch>"} with {@code retryAfter} (epoch
     * seconds) in the body and {@code Retry-After} (seconds, never less than 1) in the headers.
     */
    public static ApiProblem rateLimited(java.time.Instant retryAt, java.time.Instant now) {
        long epoch = (retryAt.toEpochMilli() + 999) / 1000;
        ApiProblem problem = new ApiProblem(429, "Rate limit exceeded. Retry after " + epoch);
        problem.header("Retry-After", Long.toString(Math.max(1, epoch - now.getEpochSecond())));
        problem.retryAfterEpochSeconds = epoch;
        return problem;
    }

    /** 503 with {@code Retry-After}: a dependency is down and the request changed nothing. */
    public static ApiProblem serviceUnavailable(String message, Duration retryAfter) {
        ApiProblem problem = new ApiProblem(503, message);
        problem.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        return problem;
    }

    /**
     * A refusal as the deployment's error: an {@link ApiProblem} as it is, a domain service's
     * {@link Rejection} by its reason. The one place a rejection gets a status.
     */
    public static ApiProblem from(RuntimeException refusal) {
        if (refusal instanceof ApiProblem problem) {
            return problem;
        }
        Rejection rejection = (Rejection) refusal;
        int status = switch (rejection.reason()) {
            case INVALID_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
            case TOO_MANY_ATTEMPTS -> 429;
        };
        if (status == 429) {
            return tooManyRequests(rejection.getMessage(), rejection.retryAfter(), rejection.retryAt());
        }
        return new ApiProblem(status, rejection.getMessage());
    }

    private String errorId;

    /** An unexpected error: 500, said plainly, with the id of the log line that has the details. */
    public static ApiProblem unexpected(String errorId) {
        ApiProblem problem = new ApiProblem(500, "Something went wrong on our side. Error id: " + errorId);
        problem.errorId = errorId;
        return problem;
    }

    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status)
                .type("application/json")
                .entity(new ErrorBody(status, Response.Status.fromStatusCode(status) == null
                        ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase(),
                        getMessage(), retryAfterEpochSeconds, errorId));
        headers.forEach(response::header);
        return response.build();
    }
}
