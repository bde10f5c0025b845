package dev.gatehouse.account;

import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code /signup}: a person creates an account, by form (the page) or JSON, and is signed in. */
@Path("/signup")
public class SignupResource {
    private final Accounts accounts;
    private final Sessions sessions;

    SignupResource(Accounts accounts, Sessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
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
            Account account = accounts.signUp(email, password);
            return Response.seeOther(URI.create("/account/api-tokens")).cookie(sessions.start(account, request)).build();
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            return Html.page(problem.status(), Pages.signup(problem.getMessage(), email));
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response json(Credentials body, @Context HttpServerRequest request) {
        Credentials credentials = Credentials.require(body);
        Account account = accounts.signUp(credentials.email(), credentials.password());
        return Response.status(201).entity(AccountView.of(account)).cookie(sessions.start(account, request)).build();
    }
}
