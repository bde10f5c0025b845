package dev.gatehouse.gateway;

import dev.gatehouse.guard.HttpRequestFacts;
import dev.gatehouse.guard.Refusals;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /forward-auth}: the authorization call of a gateway in front of a protected API, following the
 * contract of Traefik's ForwardAuth and nginx's {@code auth_request}. The gateway names the original
 * request ({@code X-Forwarded-Method}/{@code X-Forwarded-Uri} from Traefik, {@code X-Original-Method}/
 * {@code X-Original-URI} by the nginx convention) and passes the client's headers through; the route
 * table prices the request and the one verification pipeline decides. 200 (empty) lets the request
 * through with {@code X-Gatehouse-*} headers for the upstream; anything else is the refusal the client
 * should see, from {@link Refusals}. Any method is accepted, as gateways differ in the one they use.
 */
// On a virtual thread: a metered request waits for its Redis round trip, and a parked virtual thread costs
// no OS thread switch (docs/benchmarks.md).
@RunOnVirtualThread
@Path("/forward-auth")
public class ForwardAuthResource {
    public static final String ACCOUNT = "X-Gatehouse-Account";
    public static final String KEY_ID = "X-Gatehouse-Key-Id";
    public static final String SCOPES = "X-Gatehouse-Scopes";
    public static final String ENVIRONMENT = "X-Gatehouse-Environment";
    /** Sent by the nginx example: fold statuses nginx cannot pass into 401/403 ({@link Refusals#forAuthRequest}). */
    public static final String AUTH_REQUEST_MODE = "X-Gatehouse-Auth-Request";
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,20}");

    private final VerificationPipeline pipeline;
    private final RoutePolicies policies;
    private final Refusals refusals;
    private final ClientAddresses addresses;

    ForwardAuthResource(VerificationPipeline pipeline, RoutePolicies policies, Refusals refusals, ClientAddresses addresses) {
        this.pipeline = pipeline;
        this.policies = policies;
        this.refusals = refusals;
        this.addresses = addresses;
    }

    @GET
    public Response get(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @POST
    public Response post(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @PUT
    public Response put(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @PATCH
    public Response patch(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @DELETE
    public Response delete(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @HEAD
    public Response head(@Context HttpServerRequest request) {
        return authorize(request);
    }

    // /forward-auth/<anything>: for gateways that append the original path (Envoy's path_prefix). The
    // appended path is ignored; the original request is always read from the headers.

    @GET
    @Path("{rest:.*}")
    public Response getUnder(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @POST
    @Path("{rest:.*}")
    public Response postUnder(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @PUT
    @Path("{rest:.*}")
    public Response putUnder(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @PATCH
    @Path("{rest:.*}")
    public Response patchUnder(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @DELETE
    @Path("{rest:.*}")
    public Response deleteUnder(@Context HttpServerRequest request) {
        return authorize(request);
    }

    @HEAD
    @Path("{rest:.*}")
    public Response headUnder(@Context HttpServerRequest request) {
        return authorize(request);
    }

    private Response authorize(HttpServerRequest request) {
        try {
            return answer(request);
        } catch (ApiProblem problem) {
            return refused(request, problem);
        }
    }

    private Response answer(HttpServerRequest request) {
        String method = original(request, "X-Forwarded-Method", "X-Original-Method", "method");
        if (!METHOD.matcher(method).matches()) {
            throw ApiProblem.badRequest("The original request's method is not an HTTP method");
        }
        RequestPath path;
        try {
            path = RequestPath.parse(original(request, "X-Forwarded-Uri", "X-Original-URI", "URI"));
        } catch (RequestPath.Invalid e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        HttpRequestFacts facts = HttpRequestFacts.forwarded(request, path.query(), addresses);
        Optional<Route> route = policies.routeFor(method.toUpperCase(Locale.ROOT), path);
        if (route.isEmpty()) {
            // Credential first, so that nobody learns the route table without a key; nothing is charged.
            Verification verification = pipeline.verify(facts, policies.credentialOnly());
            throw verification.isValid() ? refusals.unrouted() : refusals.problem(verification);
        }
        Verification verification = pipeline.verify(facts, policies.policy(route.get()));
        if (!verification.isValid()) {
            throw refusals.problem(verification);
        }
        Response.ResponseBuilder ok = Response.ok().header("Cache-Control", "no-store");
        identify(verification.token()).forEach(ok::header);
        verification.headers().forEach(ok::header);
        return ok.build();
    }

    /** What the upstream is told about the caller; the gateway must overwrite these on every request. */
    static java.util.Map<String, String> identify(TokenRecord token) {
        var headers = new java.util.LinkedHashMap<String, String>();
        if (token.accountId() != null) {
            headers.put(ACCOUNT, token.accountId().toString());
        }
        headers.put(KEY_ID, token.id().toString());
        headers.put(SCOPES, String.join(" ", token.scopes()));
        if (token.environment() != null) {
            headers.put(ENVIRONMENT, token.environment().value());
        }
        return headers;
    }

    /**
     * One of the two conventions' headers. Both present and different is refused: behind nginx a client's own
     * X-Forwarded-Uri would pass through untouched, and must not choose a cheaper route than X-Original-URI.
     */
    private static String original(HttpServerRequest request, String traefik, String nginx, String what) {
        String a = request.getHeader(traefik);
        String b = request.getHeader(nginx);
        if (a != null && b != null && !a.equals(b)) {
            throw ApiProblem.badRequest(traefik + " and " + nginx + " disagree about the original request's " + what);
        }
        String value = a != null ? a : b;
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest("The gateway must send the original request's " + what + " in " + traefik + " or " + nginx);
        }
        return value.strip();
    }

    private Response refused(HttpServerRequest request, ApiProblem problem) {
        if (request.getHeader(AUTH_REQUEST_MODE) != null) {
            return refusals.forAuthRequest(problem);
        }
        return problem.toResponse();
    }
}
