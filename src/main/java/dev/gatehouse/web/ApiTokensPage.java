package dev.gatehouse.web;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.pat.ApiKeyRequests;
import dev.gatehouse.pat.ApiKeyView;
import dev.gatehouse.pat.ApiKeys;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.credits.Credits;
import dev.gatehouse.credits.StandingView;
import dev.gatehouse.owner.Owners;
import dev.gatehouse.usage.UsageHistory;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /account/api-tokens} (seed 000): the person's own key page. Lists keys, mints one and shows it
 * once, edits a key's IP allowlist, rolls and revokes. Every form carries the session's CSRF token and must come from this origin.
 */
@Path("/account/api-tokens")
@Produces(MediaType.TEXT_HTML)
public class ApiTokensPage {
    static final String PATH = "/account/api-tokens";

    private final Sessions sessions;
    private final ApiKeys keys;
    private final ScopeCatalogue catalogue;
    private final UsageHistory usage;
    private final Credits credits;
    private final Owners owners;

    ApiTokensPage(Sessions sessions, ApiKeys keys, ScopeCatalogue catalogue, UsageHistory usage, Credits credits, Owners owners) {
        this.sessions = sessions;
        this.keys = keys;
        this.catalogue = catalogue;
        this.usage = usage;
        this.credits = credits;
        this.owners = owners;
    }

    @GET
    public Response show(@Context HttpHeaders headers) {
        return sessions.current(headers)
                .map(person -> page(200, person, null, null))
                .orElseGet(ApiTokensPage::toLogin);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @FormParam("csrf") String csrf, @FormParam("label") String label, @FormParam("scope") List<String> scopes,
            @FormParam("expires_on") String expiresOn, @FormParam("environment") String environment,
            @FormParam("ip_allowlist") String ipAllowlist) {
        return submit(headers, request, csrf, person -> {
            ApiKeyView created = keys.mint(person.accountId(), new ApiKeyRequests.Create(label, scopes, endOfDay(expiresOn),
                    blankToNull(environment), ranges(ipAllowlist)));
            // Rendered, not redirected: the key is shown this once and never again (Cache-Control: no-store).
            return page(201, person, null, created);
        });
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf) {
        return submit(headers, request, csrf, person -> {
            keys.revoke(person.accountId(), id);
            return Response.seeOther(URI.create(PATH)).build();
        });
    }

    @POST
    @Path("/{id}/ip-allowlist")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response editIpAllowlist(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf, @FormParam("ip_allowlist") String ipAllowlist) {
        return submit(headers, request, csrf, person -> {
            keys.update(person.accountId(), id, new ApiKeyRequests.Update(null, null, null, null, ranges(ipAllowlist)));
            return Response.seeOther(URI.create(PATH)).build();
        });
    }

    /** Seeds 000 and 002: the successor is shown once, here; the old key works until the grace period ends. */
    @POST
    @Path("/{id}/roll")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response roll(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf, @FormParam("grace_hours") String graceHours) {
        return submit(headers, request, csrf, person -> {
            ApiKeyView successor = keys.roll(person.accountId(), id, new ApiKeyRequests.Roll(graceSeconds(graceHours)));
            return page(201, person, null, successor);
        });
    }

    /**
     * Runs a form's action for the signed-in person whose CSRF token it carries; a refusal is shown on
     * the page, and a missing session sends the browser to sign in.
     */
    private Response submit(HttpHeaders headers, HttpServerRequest request, String csrf, Function<SignedIn, Response> action) {
        SignedIn person = sessions.current(headers).orElse(null);
        if (person == null) {
            return toLogin();
        }
        if (!person.sentForm(csrf, request)) {
            return page(403, person, "This form expired or was sent from another site. Reload the page and try again.", null);
        }
        try {
            return action.apply(person);
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            return page(problem.status(), person, problem.getMessage(), null);
        }
    }

    /** The person's plan line; none if it cannot be read now (the page, and a new key's one showing, come first). */
    private StandingView plan(SignedIn person) {
        try {
            return StandingView.of(credits.standing(owners.ofAccount(person.accountId())), false);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Response page(int status, SignedIn person, String error, ApiKeyView created) {
        List<ApiKeyView> listed = keys.list(person.accountId());
        return Html.page(status, Pages.apiTokens(person.email(), person.csrfToken(), listed,
                usage.recentAddresses(listed.stream().map(ApiKeyView::id).toList()), catalogue.all(), error, created,
                plan(person)));
    }

    /** A date picked on the form means "valid through that day" (UTC). */
    private static Instant endOfDay(String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest("The expiry date must look like 2027-01-31");
        }
    }

    /** The form's allowlist: CIDR ranges separated by commas, spaces or new lines; empty: anywhere. */
    private static List<String> ranges(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[,\\s]+")).filter(range -> !range.isBlank()).toList();
    }

    private static Long graceSeconds(String hours) {
        if (hours == null || hours.isBlank()) {
            return null;
        }
        try {
            return Math.multiplyExact(Long.parseLong(hours.strip()), 3600L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw Rejection.invalid("The grace period is a whole number of hours");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Response toLogin() {
        return Response.seeOther(URI.create("/login?return_to=" + PATH)).build();
    }
}
