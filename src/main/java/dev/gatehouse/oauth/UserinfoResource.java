package dev.gatehouse.oauth;

import dev.gatehouse.account.Accounts;
import dev.gatehouse.guard.ApiGuard;
import dev.gatehouse.guard.Caller;
import dev.gatehouse.web.ApiProblem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /oauth2/userinfo} (OpenID Connect Core §5.3): claims for an access token carrying {@code openid}. */
@Path("/oauth2/userinfo")
@Produces(MediaType.APPLICATION_JSON)
public class UserinfoResource {
    private final ApiGuard guard;
    private final Accounts accounts;

    UserinfoResource(ApiGuard guard, Accounts accounts) {
        this.guard = guard;
        this.accounts = accounts;
    }

    @GET
    public Map<String, Object> get(@Context HttpServerRequest request) {
        Caller caller = guard.require(request, "openid");
        if (caller.accountId() == null) {
            throw ApiProblem.forbidden("This token does not act for a person");
        }
        var account = accounts.find(caller.accountId()).orElseThrow(() -> ApiProblem.notFound("No such account"));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", account.id().toString());
        if (caller.credential().hasScope("email")) {
            claims.put("email", account.email());
            claims.put("email_verified", false);
        }
        if (caller.credential().hasScope("profile")) {
            claims.put("preferred_username", account.email());
        }
        return claims;
    }

    @POST
    public Map<String, Object> post(@Context HttpServerRequest request) {
        return get(request);
    }
}
