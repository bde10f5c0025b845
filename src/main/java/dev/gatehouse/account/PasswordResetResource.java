package dev.gatehouse.account;

import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import dev.gatehouse.web.Html;
import dev.gatehouse.web.RequestOrigin;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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

/**
 * The pages of a password reset (issue 12 §2): ask for a link, then choose the new password through it.
 * The emailed link opens a page with a form; only that form's POST uses the link, so a mail scanner that
 * fetches it uses nothing.
 */
@Path("/password-reset")
@Produces(MediaType.TEXT_HTML)
public class PasswordResetResource {
    @CheckedTemplate
    static class Templates {
        /** The form asking for the address; {@code unavailable} when this deployment sends no mail. */
        static native TemplateInstance request(String error, String email, boolean unavailable);

        static native TemplateInstance sent(String email);

        /** The new password's form; or why the link cannot be used ({@code closed}). */
        static native TemplateInstance choose(String token, String error, String closed);
    }

    private static final String GONE = "This link expired, was already used, or a newer one was sent. Ask for a new one.";

    private final Passwords passwords;
    private final Sessions sessions;
    private final ClientAddresses addresses;

    PasswordResetResource(Passwords passwords, Sessions sessions, ClientAddresses addresses) {
        this.passwords = passwords;
        this.sessions = sessions;
        this.addresses = addresses;
    }

    @GET
    public Response page() {
        return Html.page(Templates.request(null, null, !passwords.resetsByEmail()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response ask(@FormParam("email") String email, @Context HttpServerRequest request) {
        if (!passwords.resetsByEmail()) {
            return Html.page(503, Templates.request(null, email, true));
        }
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Templates.request("This form was sent from another site.", email, false));
        }
        try {
            passwords.requestReset(email, addresses.textOf(request));
            return Html.page(Templates.sent(Accounts.normalizeEmail(email)));
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            return Html.page(problem.status(), Templates.request(problem.getMessage(), email, false));
        }
    }

    /** The emailed link: a form, so that fetching the link uses nothing. */
    @GET
    @Path("/confirm")
    public Response choosePage(@QueryParam("token") String token) {
        return passwords.resetLinkWorks(token) ? Html.page(Templates.choose(token, null, null))
                : Html.page(410, Templates.choose(null, null, GONE));
    }

    @POST
    @Path("/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@FormParam("token") String token, @FormParam("password") String password,
            @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Templates.choose(null, null, "This form was sent from another site."));
        }
        try {
            return switch (passwords.reset(token, password)) {
                case Passwords.Reset.Done done ->
                        Response.seeOther(URI.create("/account/api-tokens")).cookie(sessions.start(done.account(), request)).build();
                case Passwords.Reset.Gone gone -> Html.page(410, Templates.choose(null, null, GONE));
            };
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            return Html.page(problem.status(), Templates.choose(token, problem.getMessage(), null));
        }
    }
}
