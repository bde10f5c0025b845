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
 * Adding a passkey, driven by the security page's script ({@code /static/gatehouse.js}) with {@code fetch}: options
 * (the challenge rides back in a cookie the extension seals), then what the authenticator made, verified and kept.
 * Needs the session and its CSRF token (header {@code X-CSRF-Token}) from this site, and the current password
 * unless the person signed in moments ago. Removing one is a form of the
 * security page itself.
 */
@Path("/account/passkeys")
@Produces(MediaType.APPLICATION_JSON)
public class PasskeyRegistrationResource {
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final Passkeys passkeys;
    private final Sessions sessions;

    PasskeyRegistrationResource(Passkeys passkeys, Sessions sessions) {
        this.passkeys = passkeys;
        this.sessions = sessions;
    }

    /** The options to create a passkey with; the body, JSON, carries {@code current_password} unless just signed in. */
    @POST
    @Path("/options")
    public Response options(String body, @HeaderParam(CSRF_HEADER) String csrf, RoutingContext context, @Context HttpHeaders headers,
            @Context HttpServerRequest request) {
        SignedIn person = signedIn(headers, request, csrf);
        if (person == null) {
            return CredentialJson.refused(ApiProblem.forbidden("Sign in again, then add the passkey from your security page."));
        }
        try {
            Object given = body == null || body.isBlank() ? null : CredentialJson.parse(body).getValue("current_password");
            String password = given instanceof String text ? text : null;
            return Response.ok(passkeys.registrationOptions(person, password, context)).header("Cache-Control", "no-store").build();
        } catch (Rejection | ApiProblem refusal) {
            return CredentialJson.refused(refusal);
        }
    }

    /** What the authenticator made: verified, then kept as one of the person's passkeys. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(String body, @QueryParam("name") String name, @HeaderParam(CSRF_HEADER) String csrf, RoutingContext context,
            @Context HttpHeaders headers, @Context HttpServerRequest request) {
        SignedIn person = signedIn(headers, request, csrf);
        if (person == null) {
            return CredentialJson.refused(ApiProblem.forbidden("Sign in again, then add the passkey from your security page."));
        }
        try {
            PasskeyStore.Passkey added = passkeys.register(person, CredentialJson.parse(body), name, context);
            return Response.status(201).entity(Map.of("location", "/account/security", "name", added.label())).build();
        } catch (Rejection | ApiProblem refusal) {
            return CredentialJson.refused(refusal);
        }
    }

    /** The signed-in person, when the request carries their session and its CSRF token and came from this site. */
    private SignedIn signedIn(HttpHeaders headers, HttpServerRequest request, String csrf) {
        return sessions.current(headers).filter(person -> person.sentForm(csrf, request)).orElse(null);
    }
}
