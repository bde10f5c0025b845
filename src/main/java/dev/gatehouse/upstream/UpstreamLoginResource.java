package dev.gatehouse.upstream;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.Cookies;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /login/upstream/<name>}: the way out to a provider and back (issue 12 §1). The state of a sign-in in
 * flight rides in a sealed, HttpOnly cookie on this path only; SameSite=Lax, since the provider's redirect
 * back is a top-level navigation from another site.
 */
@Path("/login/upstream")
@Produces(MediaType.TEXT_HTML)
public class UpstreamLoginResource {
    static final String STATE_COOKIE = "gatehouse_upstream";
    static final String LINK_COOKIE = "gatehouse_upstream_link";
    private static final String PATH = "/login/upstream";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance refused(String message);

        /** An account has the provider's verified email: its password, or a mailed link ({@code mails}), first. */
        static native TemplateInstance confirmLink(String email, String provider, String error, boolean mails);

        /** The confirmation link was mailed to {@code email}. */
        static native TemplateInstance linkMailed(String email);

        /** The mailed link's page: a form, so that fetching the link links nothing. */
        static native TemplateInstance confirmMailedLink(String token);
    }

    private final UpstreamLogin login;
    private final UpstreamProviders providers;
    private final Sessions sessions;
    private final AuditLog audit;
    private final UpstreamConfig config;

    UpstreamLoginResource(UpstreamLogin login, UpstreamProviders providers, Sessions sessions, AuditLog audit, UpstreamConfig config) {
        this.login = login;
        this.providers = providers;
        this.sessions = sessions;
        this.audit = audit;
        this.config = config;
    }

    /** Off to the provider, to sign in. */
    @GET
    @Path("/{name}")
    public Response begin(@PathParam("name") String name, @jakarta.ws.rs.QueryParam("return_to") String returnTo,
            @Context HttpServerRequest request) {
        if (!providers.configured(name)) {
            return Html.page(404, Templates.refused("There is no such way to sign in here."));
        }
        try {
            return toProvider(login.begin(name, returnTo), request);
        } catch (UpstreamUnavailable e) {
            return unavailable(e);
        }
    }

    /**
     * Off to the provider, to link it to the signed-in person: a form of their security page, with its CSRF token
     * and their current password (a borrowed session alone adds no way into the account).
     */
    @POST
    @Path("/{name}/link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response beginLink(@PathParam("name") String name, @FormParam("csrf") String csrf,
            @FormParam("current_password") String password, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        SignedIn person = sessions.current(headers).orElse(null);
        if (person == null) {
            return Response.seeOther(URI.create("/login?return_to=/account/security")).build();
        }
        if (!person.sentForm(csrf, request)) {
            return Html.page(403, Templates.refused("This form expired or was sent from another site. Reload the page and try again."));
        }
        if (!providers.configured(name)) {
            return Html.page(404, Templates.refused("There is no such way to sign in here."));
        }
        try {
            return toProvider(login.beginLink(name, person.accountId(), password), request);
        } catch (UpstreamUnavailable e) {
            return unavailable(e);
        } catch (ApiProblem | Rejection refusal) {
            return refusedPage(refusal);
        }
    }

    private Response toProvider(UpstreamLogin.Begun begun, HttpServerRequest request) {
        return Response.seeOther(begun.authorizationRequest())
                .cookie(cookie(STATE_COOKIE, begun.sealedState(), (int) config.loginLifetime().toSeconds(), request)).build();
    }

    @GET
    @Path("/{name}/callback")
    public Response callback(@PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest request) {
        if (!providers.configured(name)) {
            return Html.page(404, Templates.refused("There is no such way to sign in here."));
        }
        Map<String, String> answer = new HashMap<>();
        uri.getQueryParameters().forEach((key, values) -> {
            if (values.size() == 1) {
                answer.put(key, values.getFirst()); // a repeated parameter is no answer of a provider's (RFC 6749 §3.1)
            }
        });
        UUID signedIn = sessions.current(headers).map(SignedIn::accountId).orElse(null);
        UpstreamLogin.Result result;
        try {
            result = login.finish(name, answer, value(headers, STATE_COOKIE), signedIn);
        } catch (UpstreamUnavailable e) {
            return unavailable(e);
        }
        NewCookie spent = cookie(STATE_COOKIE, "", 0, request);
        return switch (result) {
            case UpstreamLogin.Result.SignedIn done -> signIn(done, name, request, spent);
            case UpstreamLogin.Result.Linked linked -> Response.seeOther(URI.create("/account/security")).cookie(spent).build();
            case UpstreamLogin.Result.ConfirmLink confirm -> Response.fromResponse(Html.page(Templates.confirmLink(confirm.email(),
                    confirm.provider(), null, login.mailsLinks()))).cookie(spent, cookie(LINK_COOKIE, confirm.sealedPending(),
                            (int) config.loginLifetime().toSeconds(), request)).build();
            case UpstreamLogin.Result.LinkMailed mailed -> Html.page(400, Templates.refused("Sign in through the provider again."));
            case UpstreamLogin.Result.Refused refused ->
                    Response.fromResponse(Html.page(refused.status(), Templates.refused(refused.message()))).cookie(spent).build();
        };
    }

    /** The password that confirms linking the provider to the account that has its email. */
    @POST
    @Path("/link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirmLink(@FormParam("password") String password, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Templates.refused("This form was sent from another site."));
        }
        UpstreamLogin.Result result;
        try {
            result = login.confirmLink(value(headers, LINK_COOKIE), password);
        } catch (ApiProblem | Rejection refusal) {
            return refusedPage(refusal);
        }
        return switch (result) {
            case UpstreamLogin.Result.Refused refused when refused.status() == 401 ->
                    Html.page(401, Templates.confirmLink(null, null, refused.message(), login.mailsLinks()));
            default -> linkConfirmed(result, request);
        };
    }

    /** Instead of the password: a link to the account's address, to open in this browser. */
    @POST
    @Path("/link/mail")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response mailLink(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Templates.refused("This form was sent from another site."));
        }
        try {
            return switch (login.mailLink(value(headers, LINK_COOKIE))) {
                case UpstreamLogin.Result.LinkMailed mailed -> Response.fromResponse(Html.page(Templates.linkMailed(mailed.email())))
                        .cookie(cookie(LINK_COOKIE, mailed.sealedPending(), (int) config.linkMailLifetime().toSeconds(), request)).build();
                case UpstreamLogin.Result.Refused refused -> Html.page(refused.status(), Templates.refused(refused.message()));
                default -> Html.page(400, Templates.refused("Sign in through the provider again."));
            };
        } catch (ApiProblem | Rejection refusal) {
            return refusedPage(refusal);
        }
    }

    /** The mailed link: a page with a form, so that a mail scanner fetching the link links nothing. */
    @GET
    @Path("/link/confirm")
    public Response mailedLinkPage(@jakarta.ws.rs.QueryParam("token") String token, @Context HttpHeaders headers) {
        if (value(headers, LINK_COOKIE) == null) {
            return Html.page(400, Templates.refused("Open this link in the browser where you signed in with the provider."));
        }
        return login.mailedLinkWorks(value(headers, LINK_COOKIE), token) ? Html.page(Templates.confirmMailedLink(token))
                : Html.page(UpstreamLogin.MAILED_LINK_GONE.status(), Templates.refused(UpstreamLogin.MAILED_LINK_GONE.message()));
    }

    @POST
    @Path("/link/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirmMailedLink(@FormParam("token") String token, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Templates.refused("This form was sent from another site."));
        }
        return linkConfirmed(login.confirmMailedLink(value(headers, LINK_COOKIE), token), request);
    }

    /** A pending link settled, by password or by mail: signed in, or refused and the pending link dropped. */
    private Response linkConfirmed(UpstreamLogin.Result result, HttpServerRequest request) {
        return switch (result) {
            case UpstreamLogin.Result.SignedIn done -> signIn(done, "link", request, cookie(LINK_COOKIE, "", 0, request));
            // A stale mail (a newer one was sent): the pending link stays, for the newest mail to finish.
            case UpstreamLogin.Result.Refused refused when refused.status() == 410 ->
                    Html.page(410, Templates.refused(refused.message()));
            case UpstreamLogin.Result.Refused refused ->
                    Response.fromResponse(Html.page(refused.status(), Templates.refused(refused.message())))
                            .cookie(cookie(LINK_COOKIE, "", 0, request)).build();
            default -> Html.page(400, Templates.refused("Sign in through the provider again."));
        };
    }

    private static Response refusedPage(RuntimeException refusal) {
        ApiProblem problem = ApiProblem.from(refusal);
        return Html.page(problem.status(), Templates.refused(problem.getMessage()));
    }

    private Response signIn(UpstreamLogin.Result.SignedIn done, String via, HttpServerRequest request, NewCookie spent) {
        audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, AuditEvent.Actor.person(done.account().id()), done.account().id(), null,
                Map.of("via", "upstream", "provider", via));
        return Response.seeOther(URI.create(done.returnTo())).cookie(spent, sessions.start(done.account(), request)).build();
    }

    private static Response unavailable(UpstreamUnavailable e) {
        org.jboss.logging.Logger.getLogger(UpstreamLoginResource.class).warn(e.getMessage());
        return Response.fromResponse(Html.page(503, Templates.refused("The identity provider cannot be reached just now. "
                + "Try again in a minute, or sign in with your email and password."))).header("Retry-After", "30").build();
    }

    private static String value(HttpHeaders headers, String name) {
        Cookie cookie = headers.getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }

    private static NewCookie cookie(String name, String value, int maxAgeSeconds, HttpServerRequest request) {
        return Cookies.httpOnly(name, value, PATH, maxAgeSeconds, NewCookie.SameSite.LAX, request);
    }
}
