package dev.gatehouse.pages;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.Function;

/**
 * What every /account page does before its own work: find the signed-in person (else send the browser to
 * sign in and come back), and for a form, check it carries their session's CSRF token and came from this
 * site. A refusal (bad input, a limit) is shown on the page itself, in the page's own words.
 */
@ApplicationScoped
class SignedInForms {
    /** How a page shows itself with an error line (null: none) and a status. */
    @FunctionalInterface
    interface Page {
        Response show(int status, SignedIn person, String error);
    }

    static final String FORGED = "This form expired or was sent from another site. Reload the page and try again.";

    private final Sessions sessions;

    SignedInForms(Sessions sessions) {
        this.sessions = sessions;
    }

    /** A GET: the page for the signed-in person, or the way to sign in and back to {@code path}. */
    Response view(HttpHeaders headers, String path, Function<SignedIn, Response> page) {
        return sessions.current(headers).map(page).orElseGet(() -> toLogin(path));
    }

    /** A POST: {@code action} for the person whose form this really is; refusals shown on {@code page}. */
    Response submit(HttpHeaders headers, HttpServerRequest request, String csrf, String path, Page page,
            Function<SignedIn, Response> action) {
        SignedIn person = sessions.current(headers).orElse(null);
        if (person == null) {
            return toLogin(path);
        }
        if (!person.sentForm(csrf, request)) {
            return page.show(403, person, FORGED);
        }
        try {
            return action.apply(person);
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            return page.show(problem.status(), person, problem.getMessage());
        }
    }

    static Response toLogin(String path) {
        return Response.seeOther(URI.create("/login?return_to=" + path)).build();
    }

    static Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
