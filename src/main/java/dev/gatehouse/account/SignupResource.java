package dev.gatehouse.account;

import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import dev.gatehouse.web.Html;
import dev.gatehouse.web.Pages;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * {@code /signup}: a person creates an account, by form (the page) or JSON. Where mail can be sent, through
 * an emailed link ({@code /signup/confirm}), with one answer for every address ({@link Signups}); otherwise
 * at once, signed in.
 */
@Path("/signup")
public class SignupResource {
    private static final String SENT = "If the address can receive mail, a message is on its way: open its link to finish.";

    private final Signups signups;
    private final Sessions sessions;
    private final ClientAddresses addresses;

    SignupResource(Signups signups, Sessions sessions, ClientAddresses addresses) {
        this.signups = signups;
        this.sessions = sessions;
        this.addresses = addresses;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return Html.page(Pages.signup(null, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response form(@FormParam("email") String email, @FormParam("password") String password,
            @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Pages.signup("This form was sent from another site.", email));
        }
        try {
            if (signups.confirmsByEmail()) {
                signups.start(email, password, addresses.textOf(request));
                return Html.page(Pages.signupSent(Accounts.normalizeEmail(email)));
            }
            Account account = signups.signUpNow(email, password, addresses.textOf(request));
            return Response.seeOther(URI.create("/account/api-tokens")).cookie(sessions.start(account, request)).build();
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            return Html.page(problem.status(), Pages.signup(problem.getMessage(), email));
        }
    }

    /** 202 and the same body for every address when sign-up goes through mail; 201 with a session when it does not. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response json(Credentials body, @Context HttpServerRequest request) {
        Credentials credentials = Credentials.require(body);
        if (signups.confirmsByEmail()) {
            signups.start(credentials.email(), credentials.password(), addresses.textOf(request));
            return Response.status(202).entity(Map.of("status", "confirmation_sent", "message", SENT)).build();
        }
        Account account = signups.signUpNow(credentials.email(), credentials.password(), addresses.textOf(request));
        return Response.status(201).entity(AccountView.of(account)).cookie(sessions.start(account, request)).build();
    }

    /** The emailed link: a button, so that a mail scanner fetching the link never uses it. */
    @GET
    @Path("/confirm")
    @Produces(MediaType.TEXT_HTML)
    public Response confirmPage(@QueryParam("token") String token) {
        return Html.page(Pages.signupConfirm(token, null, null));
    }

    @POST
    @Path("/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response confirm(@FormParam("token") String token, @FormParam("password") String password,
            @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Pages.signupConfirm(null, null, "This form was sent from another site."));
        }
        return switch (signups.confirm(token, password)) {
            case Signups.Confirmation.Made made ->
                    Response.seeOther(URI.create("/account/api-tokens")).cookie(sessions.start(made.account(), request)).build();
            case Signups.Confirmation.WrongPassword wrong -> Html.page(400, Pages.signupConfirm(token,
                    "That is not the password chosen when signing up. Type it again.", null));
            case Signups.Confirmation.Gone gone -> Html.page(410, Pages.signupConfirm(null, null,
                    "This link expired, was already used, or the account exists already. Sign in, or sign up again."));
        };
    }
}
