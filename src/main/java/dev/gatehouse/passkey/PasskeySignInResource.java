package dev.gatehouse.passkey;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpServerRequest;


import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Signing in with a passkey, driven by the sign-in page's script ({@code /static/gatehouse.js}) with {@code fetch}:
 * options (the challenge rides back in a cookie the extension seals), the authenticator's assertion, the session.
 * No email is typed: the passkey names its account. Only requests from this site; refusals are JSON in the
 * deployment's error shape, for the script to show.
 */
@Path("/login/passkey")
@Produces(MediaType.APPLICATION_JSON)
public class PasskeySignInResource {
    private final Passkeys passkeys;
    private final Sessions sessions;

    PasskeySignInResource(Passkeys passkeys, Sessions sessions) {
        this.passkeys = passkeys;
        this.sessions = sessions;
    }

    @POST
    @Path("/options")
    public Response options(RoutingContext context, @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return CredentialJson.refused(Rejection.forbidden("This request came from another site."));
        }
        return Response.ok(passkeys.signInOptions(context)).header("Cache-Control", "no-store").build();
    }

    /** The authenticator's assertion: the session starts, and the answer says where to go on to. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(String body, @QueryParam("return_to") String returnTo, RoutingContext context,
            @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return CredentialJson.refused(Rejection.forbidden("This request came from another site."));
        }
        try {
            var account = passkeys.signIn(CredentialJson.parse(body), context);
            return Response.ok(Map.of("location", RequestOrigin.safeReturnPath(returnTo, "/account/api-tokens")))
                    .header("Cache-Control", "no-store").cookie(sessions.start(account, request)).build();
        } catch (Rejection | ApiProblem refusal) {
            return CredentialJson.refused(refusal);
        }
    }
}
