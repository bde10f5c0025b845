package dev.gatehouse.account;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
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
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code /login}: a person signs in by form or JSON. A wrong password and an unknown email get the same
 * answer; repeated failures are throttled ({@link LoginThrottle}).
 */
@Path("/login")
public class LoginResource {
    private static final Logger LOG = Logger.getLogger(LoginResource.class);
    static final String DEFAULT_RETURN = "/account/api-tokens";
    static final String INVALID = "Invalid email or password";

    private final Accounts accounts;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final ClientAddresses addresses;

    private final AuditLog audit;

    LoginResource(Accounts accounts, Sessions sessions, LoginThrottle throttle, ClientAddresses addresses, AuditLog audit) {
        this.audit = audit;
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.addresses = addresses;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("return_to") String returnTo) {
        // Signing in may continue an authorization request that ends at a client's redirect URI.
        return Html.pageLeadingTo(200, Pages.login(null, null, RequestOrigin.safeReturnPath(returnTo, DEFAULT_RETURN)), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response form(@FormParam("email") String email, @FormParam("password") String password,
            @FormParam("return_to") String returnTo, @Context HttpServerRequest request) {
        String target = RequestOrigin.safeReturnPath(returnTo, DEFAULT_RETURN);
        if (RequestOrigin.isCrossSite(request)) {
            return Html.page(403, Pages.login("This form was sent from another site.", email, target));
        }
        try {
            Account account = signIn(email, password, request);
            // 303: the browser follows with a GET and never re-posts the credentials.
            return Response.seeOther(URI.create(target)).cookie(sessions.start(account, request)).build();
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            Response page = Html.pageLeadingTo(problem.status(), Pages.login(problem.getMessage(), email, target), null);
            problem.headers().forEach(page.getHeaders()::putSingle);
            return page;
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response json(Credentials body, @Context HttpServerRequest request) {
        Credentials credentials = Credentials.require(body);
        Account account = signIn(credentials.email(), credentials.password(), request);
        return Response.ok(AccountView.of(account)).cookie(sessions.start(account, request)).build();
    }

    private Account signIn(String email, String password, HttpServerRequest request) {
        String normalized = Accounts.normalizeEmail(email);
        String address = addresses.textOf(request);
        throttle.attempt(normalized, address);
        Optional<Account> account;
        try {
            account = accounts.authenticate(normalized, password);
        } catch (RuntimeException unjudged) {
            // PostgreSQL could not answer (503): the password was never judged, so the attempt does not count.
            throttle.succeeded(normalized, address);
            throw unjudged;
        }
        if (account.isEmpty()) {
            LOG.infof("Failed sign-in from %s", address);
            // The person whose account was tried sees it too; an unknown email is recorded as typed (a few words, no password).
            audit.record(AuditEvent.Type.SIGN_IN_FAILED, AuditEvent.Actor.ANONYMOUS,
                    accounts.findByEmail(normalized).map(Account::id).orElse(null), null,
                    Map.of("method", "password", "email", normalized.length() > 254 ? normalized.substring(0, 254) : normalized));
            throw new ApiProblem(401, INVALID);
        }
        throttle.succeeded(normalized, address);
        if (account.get().disabled()) {
            audit.record(AuditEvent.Type.SIGN_IN_FAILED, AuditEvent.Actor.ANONYMOUS, account.get().id(), null,
                    Map.of("method", "password", "reason", "account disabled"));
            // The password was right, so saying why reveals nothing the caller did not know.
            throw Rejection.forbidden("This account is disabled. Ask the operators of this service.");
        }
        audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, AuditEvent.Actor.person(account.get().id()), account.get().id(), null,
                Map.of("method", "password"));
        return account.get();
    }
}
