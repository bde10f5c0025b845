package dev.gatehouse.admin;

import dev.gatehouse.token.TokenHash;
import dev.gatehouse.web.ApiProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may call {@code /admin/*}: the holder of {@code gatehouse.admin.token}, as a Bearer token. Checked
 * before anything else about the request (before its route, its content type or its body is looked at):
 * without a configured token, or with a wrong one, every admin path is 404, so the admin API does not
 * even show that it exists.
 */
public class OperatorGuard {
    private final byte[] tokenHash;

    OperatorGuard(AdminConfig config) {
        this.tokenHash = config.token().map(token -> TokenHash.of(token).bytes()).orElse(null);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> onlyOperators(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return Optional.empty();
        }
        return isOperator(request.getHeaderString(HttpHeaders.AUTHORIZATION)) ? Optional.empty()
                : Optional.of(ApiProblem.notFound("No such resource").toResponse());
    }

    private boolean isOperator(String authorization) {
        // Compared as hashes, in constant time.
        return tokenHash != null && authorization != null && authorization.startsWith("Bearer ")
                && MessageDigest.isEqual(tokenHash, TokenHash.of(authorization.substring(7).strip()).bytes());
    }
}
