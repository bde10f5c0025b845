package dev.gatehouse.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.outcome.StoreUnavailable;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every refusal leaves in one JSON shape. Jackson's own messages quote the input, which may hold a
 * password or a key, so they are never passed on: the client hears which field was wrong and why.
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final Duration RETRY_AFTER_DATABASE = Duration.ofSeconds(2);

    @ServerExceptionMapper
    public Response problem(ApiProblem problem) {
        return problem.toResponse();
    }

    /** A domain service's refusal, in the deployment's error shape. */
    @ServerExceptionMapper
    public Response rejection(Rejection rejection) {
        return ApiProblem.from(rejection).toResponse();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e) {
        return ApiProblem.badRequest("Unknown field '" + e.getPropertyName() + "'").toResponse();
    }

    @ServerExceptionMapper(priority = 2)
    public Response wrongType(InvalidFormatException e) {
        return ApiProblem.badRequest("Field '" + path(e) + "' has an invalid value").toResponse();
    }

    @ServerExceptionMapper(priority = 3)
    public Response mismatched(MismatchedInputException e) {
        String field = path(e);
        return ApiProblem.badRequest(field.isEmpty()
                ? "The request body must be a JSON object"
                : "Field '" + field + "' has the wrong type").toResponse();
    }

    @ServerExceptionMapper(priority = 4)
    public Response invalidJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !(e.getCause() instanceof StreamReadException) && !path(mapping).isEmpty()) {
            return ApiProblem.badRequest("Field '" + path(mapping) + "' has an invalid value").toResponse();
        }
        return ApiProblem.badRequest("The request body is not valid JSON").toResponse();
    }

    /**
     * PostgreSQL cannot be reached: the request changed nothing, so say when to try again instead of
     * answering 500 with internals (a write fails fast; cached verifies never get here).
     */
    @ServerExceptionMapper(StoreUnavailable.class)
    public Response databaseUnavailable(RuntimeException e, HttpHeaders headers) {
        LOG.warnf("PostgreSQL unavailable: %s", e.getClass().getSimpleName());
        if (wantsPage(headers)) {
            // A person at a page gets a page, not JSON: same status, same Retry-After.
            return Response.fromResponse(Html.page(503, Pages.unavailable()))
                    .header("Retry-After", Long.toString(RETRY_AFTER_DATABASE.toSeconds())).build();
        }
        return ApiProblem.serviceUnavailable("The service is temporarily unavailable; try again shortly", RETRY_AFTER_DATABASE)
                .toResponse();
    }

    /** 404, 405, 415 and the like keep their status but speak the same JSON. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The JSON reader wraps syntax errors in a plain 400; answer those like the others.
        if (e.getCause() instanceof UnrecognizedPropertyException cause) {
            return unknownField(cause);
        }
        if (e.getCause() instanceof JsonProcessingException cause) {
            return invalidJson(cause);
        }
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "No such resource";
            case 405 -> "Method not allowed on this resource";
            case 406 -> "No acceptable representation";
            case 415 -> "Unsupported content type";
            default -> Response.Status.fromStatusCode(status) == null ? "Request failed"
                    : Response.Status.fromStatusCode(status).getReasonPhrase();
        };
        Response original = e.getResponse();
        ApiProblem problem = new ApiProblem(status, message);
        if (original.getHeaderString("Allow") != null) {
            problem.header("Allow", original.getHeaderString("Allow"));
        }
        return problem.toResponse();
    }

    /**
     * Anything else: a bug, or a dependency failing in a way not designed for. The caller gets no internals,
     * only an id; the log line with that id has the stack. API paths answer JSON in the deployment's shape,
     * pages the site's own error page.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers, UriInfo uri, Request request) {
        if (StoreUnavailable.causedBy(e)) {
            // Wrapped by the transaction manager (a rollback at commit) or the ORM: still "try again shortly".
            return databaseUnavailable(new StoreUnavailable("PostgreSQL", e), headers);
        }
        if (StoreUnavailable.refusedData(e)) {
            // A value PostgreSQL cannot hold (a NUL character, a number out of range) reached it: bad input, nothing stored.
            return ApiProblem.badRequest("The request holds a value that cannot be stored, such as a NUL character").toResponse();
        }
        if (StoreUnavailable.refusedForDisabledAccount(e)) {
            // An operator disabled the account while this request was writing a token for it.
            return ApiProblem.from(Rejection.forbidden("This account is disabled. Ask the operators of this service.")).toResponse();
        }
        if (CallerGone.causedBy(e)) {
            LOG.debugf("%s /%s: the caller closed the connection before the request was read", request.getMethod(),
                    uri.getPath().replaceFirst("^/", ""));
            return ApiProblem.badRequest("The connection closed before the request was read").toResponse();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s on %s /%s", errorId, request.getMethod(), uri.getPath().replaceFirst("^/", ""));
        if (wantsPage(headers)) {
            return Html.page(500, Pages.error(errorId));
        }
        return ApiProblem.unexpected(errorId).toResponse();
    }

    /** A browser asking for a page (HTML first), not an API client. */
    private static boolean wantsPage(HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/html") && !accept.startsWith("application/json");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
