package dev.gatehouse.admin;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditOrigin;
import dev.gatehouse.guard.HttpRequestFacts;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may call {@code /admin/*}: the holder of {@code gatehouse.admin.token}, or an operator
 * ({@code gatehouse.admin.operators}) with a first-party access token holding {@code gatehouse:admin}.
 * Anyone else gets 404 for every admin path, so the admin API does not even show that it exists.
 *
 * <p>The admin token is checked before anything else about the request (before its route, its content
 * type or its body is looked at). Another bearer credential is verified by the pipeline once the route is
 * matched, still before the body is read, on the request's own (worker) thread, since a lookup may need
 * the database.
 */
public class OperatorGuard {
    /** Set by the first filter when the bearer is not the admin token and the second must verify it. */
    private static final String VERIFY_BEARER = OperatorGuard.class.getName() + ".verify";

    private final byte[] tokenHash;
    private final Operators operators;
    private final VerificationPipeline pipeline;
    private final ClientAddresses addresses;
    private final VerificationPolicy policy;

    /** Which operator calls, for the events the call records. */
    private final AuditOrigin origin;

    OperatorGuard(AdminConfig config, Operators operators, VerificationPipeline pipeline, ClientAddresses addresses, Resources resources,
            AuditOrigin origin) {
        this.origin = origin;
        this.tokenHash = config.token().map(token -> TokenHash.of(token).bytes()).orElse(null);
        this.operators = operators;
        this.pipeline = pipeline;
        this.addresses = addresses;
        this.policy = VerificationPolicy.person(ScopeCatalogue.ADMIN, resources.defaultResource());
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> onlyOperators(ContainerRequestContext request) {
        if (!isAdminPath(request)) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return hidden();
        }
        String bearer = authorization.substring(7).strip();
        // Compared as hashes, in constant time.
        if (tokenHash != null && MessageDigest.isEqual(tokenHash, TokenHash.of(bearer).bytes())) {
            origin.operator(AuditEvent.Actor.ADMIN_TOKEN);
            return Optional.empty();
        }
        if (!operators.any()) {
            return hidden();
        }
        request.setProperty(VERIFY_BEARER, Boolean.TRUE);
        return Optional.empty();
    }

    @ServerRequestFilter
    public Optional<Response> operatorsToken(ContainerRequestContext request, HttpServerRequest http) {
        if (request.getProperty(VERIFY_BEARER) == null) {
            return Optional.empty();
        }
        Verification verification = pipeline.verify(HttpRequestFacts.of(http, addresses), policy);
        // The scope is granted to operators only; asked again here, so removing someone from the list takes effect at once.
        if (verification.isValid() && operators.isOperator(verification.token().accountId())) {
            origin.operator(AuditEvent.Actor.operator(verification.token().accountId()));
            return Optional.empty();
        }
        return hidden();
    }

    private static boolean isAdminPath(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    private static Optional<Response> hidden() {
        return Optional.of(ApiProblem.notFound("No such resource").toResponse());
    }
}
